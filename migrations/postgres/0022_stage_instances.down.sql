DROP TABLE stage_instances;
