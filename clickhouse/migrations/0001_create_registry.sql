-- The school registry: areas (a hierarchy with boundaries) and schools.
-- Rows are versioned; readers take, per id, the newest row of a committed import
-- (registry_imports), so a refused or interrupted import is never half-visible.
CREATE TABLE IF NOT EXISTS areas
(
    area_id String,
    parent_id Nullable(String),
    level LowCardinality(String),
    name String,
    name_en String,
    kind LowCardinality(String),
    code String,
    geometry String,
    active Bool,
    import_id String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY area_id;

CREATE TABLE IF NOT EXISTS schools
(
    school_id String,
    area_id String,
    name String,
    ward String,
    levels Array(LowCardinality(String)),
    lat Float64,
    lon Float64,
    enrolment UInt32,
    classrooms UInt16,
    multimedia_rooms UInt16,
    smart_rooms UInt16,
    devices UInt16,
    elibrary Bool,
    elibrary_year Nullable(UInt16),
    multimedia_year Nullable(UInt16),
    smart_year Nullable(UInt16),
    plan83 Bool,
    synthetic Bool,
    active Bool,
    import_id String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY school_id;

CREATE TABLE IF NOT EXISTS registry_imports
(
    import_id String,
    source String,
    mode LowCardinality(String),
    areas UInt32,
    schools UInt32,
    committed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY committed_at;
