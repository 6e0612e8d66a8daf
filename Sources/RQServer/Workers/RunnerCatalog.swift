/// Which runner starts the messages of a queue: the process runner (queue scripts) unless a
/// runner was registered for that queue by name (in-loop runners: relay, webhooks, cleaner).
final class RunnerCatalog {
    let process: Runner
    private var byQueue: [String: Runner] = [:]

    init(process: Runner) {
        self.process = process
    }

    func register(_ runner: Runner, forQueue name: String) {
        byQueue[name] = runner
    }

    func runner(for queue: String) -> Runner {
        byQueue[queue] ?? process
    }
}
