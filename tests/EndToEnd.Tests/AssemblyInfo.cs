// Each class hosts the app with a real Hangfire server and drives Chromium; runs use both cores, so classes take turns.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
