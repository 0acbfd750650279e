// Tests own temporary folders and databases; running collections in parallel on a 2-core machine
// only adds contention, so collections run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = false, MaxParallelThreads = 2)]
