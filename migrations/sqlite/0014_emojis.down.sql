DROP TABLE emojis;
