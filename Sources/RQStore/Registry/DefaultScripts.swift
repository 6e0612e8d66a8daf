/// Files that `install` writes under `<root>/default_scripts/<name>/`. Only the debug queue
/// has a script: relay, webhook, cleaner and rq_router run inside the server (spec relay.md).
enum DefaultScripts {
    static let scripts: [String: String] = ["debug": debug]

    /// `default_scripts/cleaner/timer.json`, linked as `timers/cleaner.json`: every day the
    /// cleaner removes what is older than two days (spec relay.md "Cleaner").
    static let cleanerTimer = #"{"period":86400,"msg":{"dest":"cleaner","src":"timer cleaner","param1":"ALLQUEUES","param2":"2"}}"#

    /// spec relay.md §7.7: prints the cwd, the RQ_* variables and the rest of the environment.
    static let debug = """
    #!/bin/sh
    # RQ debug queue: shows what a queue script sees, then reports success.
    echo "cwd: $(pwd)"
    echo "--- RQ_* variables"
    env | grep '^RQ_' | sort
    echo "--- other environment"
    env | grep -v '^RQ_' | sort
    echo "done script completed happily" >&3

    """
}
