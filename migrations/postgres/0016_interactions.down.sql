DROP TABLE interactions;
