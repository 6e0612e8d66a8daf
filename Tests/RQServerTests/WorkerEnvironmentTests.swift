import Testing
@testable import RQServer

@Suite struct WorkerEnvironmentTests {
    private func sample() -> WorkerEnvironment {
        WorkerEnvironment(
            inherited: ["PATH": "/usr/bin:/bin", "HOME": "/root", "RUBYOPT": "-rbundler",
                        "RQ_FORCE_REMOTE": "1", "RQ_PARAM1": "stale", "TMPDIR": "/var/tmp"],
            rqEnv: "development", tmpdir: "/tmp", host: "127.0.0.1", port: "3333", relativeRoot: nil,
            script: "./test/test_script.sh", resolvedScript: "/rq/test/test_script.sh", dest: "test",
            shortId: "20240105.1307.22.123.4456712",
            fullId: "http://127.0.0.1:3333/q/test/20240105.1307.22.123.4456712",
            jobDirectory: "/rq/queue/test/run/20240105.1307.22.123.4456712/job", count: 2,
            params: ["slow", nil, "3"], origMsgId: nil, forceRemote: false,
            envVars: ["RQTESTENV1": "OWEN", "RQTESTENV2": "32", "RQ_VER": "9", "PATH": "/opt/bin"])
    }

    @Test func fullTableOfSection63() {
        let env = sample().variables()
        #expect(env["RQ_VER"] == "3.0.0")
        #expect(env["RQ_SCRIPT"] == "./test/test_script.sh")
        #expect(env["RQ_REALSCRIPT"] == "/rq/test/test_script.sh")
        #expect(env["RQ_HOST"] == "http://127.0.0.1:3333/")
        #expect(env["RQ_PORT"] == "3333")
        #expect(env["RQ_DEST"] == "http://127.0.0.1:3333/q/test/")
        #expect(env["RQ_DEST_QUEUE"] == "test")
        #expect(env["RQ_MSG_ID"] == "20240105.1307.22.123.4456712")
        #expect(env["RQ_FULL_MSG_ID"] == "http://127.0.0.1:3333/q/test/20240105.1307.22.123.4456712")
        #expect(env["RQ_MSG_DIR"] == "/rq/queue/test/run/20240105.1307.22.123.4456712/job")
        #expect(env["RQ_PIPE"] == "3" && env["RQ_WRITE"] == "3" && env["RQ_READ"] == "4")
        #expect(env["RQ_COUNT"] == "2")
        #expect(env["RQ_PARAM1"] == "slow" && env["RQ_PARAM2"] == "" && env["RQ_PARAM3"] == "3" && env["RQ_PARAM4"] == "")
        #expect(env["RQ_ORIG_MSG_ID"] == "")
        #expect(env["RQ_ENV"] == "development")
        #expect(env["TMPDIR"] == "/tmp")
    }

    @Test func inheritedAndEnvVarsRules() {
        let env = sample().variables()
        #expect(env["HOME"] == "/root")
        #expect(env["RUBYOPT"] == nil)
        #expect(env["RQ_FORCE_REMOTE"] == nil)
        #expect(env["RQTESTENV1"] == "OWEN" && env["RQTESTENV2"] == "32")
        #expect(env["PATH"] == "/opt/bin")
        #expect(env.keys.filter { $0.hasPrefix("RQ_") }.count == 20)
    }

    /// The server's variables are shared by every spawn; a run's own hold none of them but
    /// replace them where they overlap (`env_vars`' PATH, the root's TMPDIR).
    @Test func ownVariablesAreWhatReplacesTheInheritableOnes() {
        let inputs = sample()
        let own = inputs.ownVariables()
        #expect(own["HOME"] == nil)
        #expect(own["PATH"] == "/opt/bin" && own["TMPDIR"] == "/tmp")
        #expect(WorkerEnvironment.inheritable(inputs.inherited) == ["PATH": "/usr/bin:/bin", "HOME": "/root", "TMPDIR": "/var/tmp"])
        #expect(inputs.variables() == WorkerEnvironment.inheritable(inputs.inherited).merging(own) { $1 })
    }

    @Test func forceRemoteOrigIdRelativeRootAndURLDest() {
        var inputs = sample()
        inputs.forceRemote = true
        inputs.origMsgId = "http://h:1/q/a/1"
        inputs.relativeRoot = "/therq"
        inputs.dest = "http://other:3333/q/remote_q/"
        inputs.tmpdir = nil
        let env = inputs.variables()
        #expect(env["RQ_FORCE_REMOTE"] == "1")
        #expect(env["RQ_ORIG_MSG_ID"] == "http://h:1/q/a/1")
        #expect(env["RQ_HOST"] == "http://127.0.0.1:3333/therq/")
        #expect(env["RQ_DEST"] == "http://other:3333/q/remote_q/")
        #expect(env["RQ_DEST_QUEUE"] == "remote_q")
        #expect(env["TMPDIR"] == "/var/tmp")
    }

    @Test func destinationAndRootEdgeCases() {
        #expect(WorkerEnvironment.destination("http://x/no-queue", host: "h", port: "1") == ("http://x/no-queue", "http://x/no-queue"))
        #expect(WorkerEnvironment.destination("http://x/q//q/b/9", host: "h", port: "1").queue == "b")
        #expect(WorkerEnvironment.normalisedRelativeRoot("/") == "/")
        #expect(WorkerEnvironment.normalisedRelativeRoot("/a/") == "/a/")
        #expect(WorkerEnvironment.normalisedRelativeRoot("") == "/")
    }

    @Test func commandLines() {
        #expect(WorkerCommandLine.make(execPrefix: "", scriptPath: "/abs/run") == ("/abs/run", []))
        #expect(WorkerCommandLine.make(execPrefix: nil, scriptPath: "/abs/run") == ("/bin/sh", ["-c", "bash -lc /abs/run"]))
        #expect(WorkerCommandLine.make(execPrefix: "nice -n 5", scriptPath: "/abs/run") == ("/bin/sh", ["-c", "nice -n 5 /abs/run"]))
        #expect(WorkerCommandLine.make(execPrefix: "bash -c\t", scriptPath: "/abs/run") == ("/bin/sh", ["-c", "bash -c\t/abs/run"]))
    }
}
