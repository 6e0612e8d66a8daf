/// Queue scripts that `install` writes under `<root>/default_scripts/<name>/run`. Only the
/// debug queue has one so far: relay, webhook, cleaner and rq_router are to be built into the
/// server (spec relay.md), and until then their queues report SCRIPTERROR.
enum DefaultScripts {
    static let scripts: [String: String] = ["debug": debug]

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
