// Each test starts several app processes on a two-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
