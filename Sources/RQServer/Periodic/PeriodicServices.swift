import Logging
import RQLoop
import RQStore

/// Timers and scandir, started with the server and stopped before it exits, and the in-loop
/// runners of the `cleaner` and `rq_router` queues.
final class PeriodicServices {
    let timers: TimerService
    let scandir: ScandirService

    init(loop: EventLoop, registry: QueueRegistry, manager: ManagerOperations, workers: WorkerControl,
         runners: RunnerCatalog, logger: Logger, queuesChanged: @escaping () -> Void) {
        runners.register(CleanerRunner(loop: loop, registry: registry), forQueue: "cleaner")
        runners.register(RouterRunner(loop: loop, root: registry.root), forQueue: "rq_router")
        let settings = PeriodicSettings(registry.rootConfig)
        timers = TimerService(loop: loop, registry: registry, workers: workers, logger: logger,
                              pollInterval: settings.scanInterval)
        scandir = ScandirService(loop: loop, registry: registry, manager: manager, workers: workers, logger: logger,
                                 pollInterval: settings.scanInterval, queuesChanged: queuesChanged)
    }

    /// Scandir first, so a timer's first message finds a queue its link declares.
    func start() {
        scandir.start()
        timers.start()
    }

    func stop() {
        timers.stop()
        scandir.stop()
    }
}
