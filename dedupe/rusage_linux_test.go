package dedupe

// rusageThread is RUSAGE_THREAD: the resource usage of the calling thread.
const rusageThread = 1
