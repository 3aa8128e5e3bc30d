// Every test builds through MSBuild's one default BuildManager, which runs one build at a time;
// test classes running in parallel would fail with "a build is already in progress".
[assembly: CollectionBehavior(DisableTestParallelization = true)]
