import Foundation
import Testing
@testable import RQStore

@Suite struct QueueConfigTests {
    @Test func canonicalEncodingOfMinimalConfig() throws {
        let config = try QueueConfig.parse(["name": "test", "script": "./test/test_script.sh", "num_workers": "1", "exec_prefix": ""])
        #expect(config.json.compactString ==
            #"{"name":"test","script":"./test/test_script.sh","num_workers":1,"exec_prefix":"","env_vars":{},"coalesce_params":[],"blocking_params":[]}"#)
    }

    @Test func absentExecPrefixStaysAbsent() throws {
        let config = try QueueConfig.parse(["name": "q", "script": "s"])
        #expect(config.execPrefix == nil)
        #expect(config.numWorkers == 1)
        #expect(config.json["exec_prefix"] == nil)
    }

    @Test func paramListsFromStringsAndNumbers() throws {
        let config = try QueueConfig.parse(["name": "q", "script": "s", "num_workers": 2,
                                            "coalesce_params": ["1", 2, ""], "blocking_params": "3",
                                            "env_vars": ["A": "b"]])
        #expect(config.coalesceParams == [1, 2])
        #expect(config.blockingParams == [3])
        #expect(config.numWorkers == 2)
        #expect(config.json.compactString.contains(#""env_vars":{"A":"b"},"coalesce_params":[1,2],"blocking_params":[3]"#))
    }

    @Test func legacyCoalesceFlags() throws {
        let config = try QueueConfig.parse(["name": "q", "script": "s", "coalesce": "yes", "coalesce_param1": "1",
                                            "coalesce_param3": true, "coalesce_param2": "no",
                                            "coalesce_params": [4]])
        #expect(config.coalesceParams == [1, 3])
    }

    @Test func fsyncAndTimeout() throws {
        let off = try QueueConfig.parse(["name": "q", "script": "s", "fsync": "no-fsync", "timeout": "30"])
        #expect(!off.fsync)
        #expect(off.timeout == 30)
        #expect(off.json.compactString.hasSuffix(#""fsync":"no-fsync","timeout":30}"#))
        let on = try QueueConfig.parse(["name": "q", "script": "s"])
        #expect(on.fsync)
        #expect(on.json["fsync"] == nil)
        #expect(throws: QueueConfigError("json config has invalid fsync field (fsync or no-fsync)")) {
            try QueueConfig.parse(["name": "q", "script": "s", "fsync": "sometimes"])
        }
        #expect(throws: QueueConfigError("json config has invalid timeout field (seconds > 0)")) {
            try QueueConfig.parse(["name": "q", "script": "s", "timeout": -1])
        }
    }

    @Test func validationMessagesInOrder() {
        func failure(_ value: JSONValue, strict: Bool = false) -> String? {
            do {
                _ = try QueueConfig.parse(value, requireNumWorkers: strict)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(failure([:]) == "json config is missing name field")
        #expect(failure(["name": ""]) == "json config has invalid name (size)")
        #expect(failure(["name": 5]) == "json config has invalid name (not String)")
        #expect(failure(["name": "q"], strict: true) == "json config is missing num_workers field")
        #expect(failure(["name": "q", "num_workers": "0"]) == "json config has invalid num_workers field (out of range 1..128)")
        #expect(failure(["name": "q", "num_workers": 129]) == "json config has invalid num_workers field (out of range 1..128)")
        #expect(failure(["name": "q", "num_workers": 1]) == "json config is missing script field")
        #expect(failure(["name": "q", "num_workers": 1, "script": ""]) == "json config has invalid script (size)")
        #expect(failure(["name": "q", "num_workers": 1, "script": ["x"]]) == "json config has invalid script (not String)")
        #expect(failure(["name": "q", "script": "s", "exec_prefix": 3]) == "json config has invalid exec_prefix (not String)")
        #expect(failure(["name": "q", "script": "s", "blocking_params": [5]]) == "json config has invalid blocking_params (param numbers 1..4)")
        #expect(failure("not an object") == "json config is not a JSON object")
    }
}

@Suite struct RootConfigTests {
    @Test func portAsIntOrString() throws {
        let a = try RootConfig.parse(try JSONValue.parse(#"{"env":"development","host":"127.0.0.1","port":"33317","addr":"0.0.0.0","tmpdir":"/tmp","allow_new_queue":true}"#))
        #expect(a.port == 33317)
        #expect(a.portIsString)
        #expect(a.json.compactString == #"{"env":"development","host":"127.0.0.1","port":"33317","addr":"0.0.0.0","tmpdir":"/tmp","allow_new_queue":true}"#)
        let b = try RootConfig.parse(["port": 3333, "host": "h"])
        #expect(b.port == 3333)
        #expect(!b.allowNewQueue)
        #expect(b.fullID(queue: "test", id: "1") == "http://h:3333/q/test/1")
        #expect(throws: RootConfigError.badPort("x")) { try RootConfig.parse(["port": "x"]) }
    }

    @Test func relativeRootAndAuth() throws {
        let config = try RootConfig.parse(["host": "h", "port": 1, "relative_root": "/rq/",
                                           "basic_auth": ["realm": "R", "users": ["u": "p"]], "allowed_ips": ["127."],
                                           "extra": 1])
        #expect(config.relativeRoot == "/rq/")
        #expect(try RootConfig.parse(["relative_root": "/rq"]).relativeRoot == "/rq/")
        #expect(config.fullID(queue: "q", id: "i") == "http://h:1/rq/q/q/i")
        #expect(config.basicAuth == RootConfig.BasicAuth(realm: "R", users: ["u": "p"]))
        #expect(config.allowedIPs == ["127."])
        #expect(config.otherKeys["extra"] == 1)
        #expect(throws: RootConfigError.badRelativeRoot("rq")) { try RootConfig.parse(["relative_root": "rq"]) }
        #expect(throws: RootConfigError.self) { try RootConfig.parse("[]") }
    }

    @Test func installWritesConfigAndDefaultQueues() throws {
        try withTempRoot { root in
            let config = try Installation.install(root: root)
            #expect(try read(root + "/config/config.json") ==
                #"{"env":"development","host":"127.0.0.1","port":3333,"addr":"127.0.0.1","tmpdir":"/tmp","allow_new_queue":true}"#)
            #expect(try RootConfig.load(root: root) == config)
            for dir in ["queue", "scandir", "log"] { #expect(FileOps.isDirectory(root + "/" + dir)) }
            for name in Installation.defaultQueues {
                let queueConfig = try QueueConfig.parse(try JSONValue.parse(read(root + "/queue/\(name)/config.json")))
                #expect(queueConfig.script == root + "/default_scripts/\(name)/run")
                #expect(queueConfig.execPrefix == "")
                #expect(FileOps.isDirectory(root + "/queue/\(name)/que"))
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/scandir/\(name)") == "../default_scripts/\(name)")
            }
            #expect(throws: InstallError.alreadyInstalled) { try Installation.install(root: root) }
            let forced = try Installation.install(root: root, host: "example", port: 4444, force: true)
            #expect(forced.port == 4444)
            #expect(try read(root + "/config/config.json").contains(#""port":"4444""#))
        }
    }

    @Test func missingOrBadConfigFile() throws {
        try withTempRoot { root in
            #expect(throws: RootConfigError.self) { try RootConfig.load(root: root) }
            try write("{nope", to: root + "/config/config.json")
            #expect(throws: RootConfigError.self) { try RootConfig.load(root: root) }
        }
    }
}
