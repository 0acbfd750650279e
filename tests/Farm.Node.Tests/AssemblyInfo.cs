// Tests own temporary folders and databases; running collections in parallel on a 2-core machine
// only adds contention, so at most two run at once. The Akka specs are one collection that runs
// alone (see AkkaSpecs): parallel ActorSystems on 2 cores time out.
[assembly: CollectionBehavior(DisableTestParallelization = false, MaxParallelThreads = 2)]
