// Every run loads TorchScript and uses both cores; runs side by side would only slow each other and their timings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
