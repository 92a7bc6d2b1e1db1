DROP TABLE auto_moderation_rules;
