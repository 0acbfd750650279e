// Every test here starts processes or a database server; on a 2-core machine they run one
// collection at a time. The PostgreSQL tests share one private cluster (one collection, serial),
// because one of them stops and restarts it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
