-- Step 1: the dataset holding the external table, the reference data and the model.
CREATE SCHEMA IF NOT EXISTS `{project}.rides`
OPTIONS (location = '{location}');
