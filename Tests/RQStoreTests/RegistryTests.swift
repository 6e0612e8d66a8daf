import Foundation
import Testing
@testable import RQStore

@Suite struct RegistryTests {
    func makeRegistry(_ root: String) -> QueueRegistry {
        QueueRegistry(root: root, rootConfig: RootConfig(), durability: FsyncDurability(root: root), now: { 1_700_000_000 })
    }

    @Test func loadsValidQueuesOnly() throws {
        try withTempRoot { root in
            try Installation.install(root: root)
            try write(#"{"name":"b","script":"s"}"#, to: root + "/queue/b/config.json")
            try write(#"{"name":"old","script":"s"}"#, to: root + "/queue/old.deleted.123/config.json")
            try write("{bad", to: root + "/queue/broken/config.json")
            try FileManager.default.createDirectory(atPath: root + "/queue/noconfig", withIntermediateDirectories: true)
            let registry = makeRegistry(root)
            let problems = registry.loadAll()
            #expect(registry.names == ["b", "cleaner", "debug", "relay", "rq_router", "webhook"])
            #expect(problems.map(\.name) == ["broken", "noconfig"])
            #expect(registry.queue("b")?.config.numWorkers == 1)
            #expect(registry.loadAll().map(\.name) == ["broken", "noconfig"])
            #expect(registry.names.count == 6)
        }
    }

    @Test func createWritesCanonicalConfig() throws {
        try withTempRoot { root in
            let registry = makeRegistry(root)
            let config = try QueueConfig.parse(["name": "test", "script": "./t.sh", "num_workers": "2", "exec_prefix": ""])
            let store = try registry.create(config)
            #expect(store.name == "test")
            #expect(try read(root + "/queue/test/config.json") ==
                #"{"name":"test","script":"./t.sh","num_workers":2,"exec_prefix":"","env_vars":{},"coalesce_params":[],"blocking_params":[]}"#)
            for state in MessageState.allCases { #expect(FileOps.isDirectory(root + "/queue/test/" + state.rawValue)) }
            #expect(throws: StoreFailure("already created")) { try registry.create(config) }
            var bad = config
            bad.name = "bad que"
            #expect(throws: StoreFailure("queue name has invalid characters")) { try registry.create(bad) }
        }
    }

    @Test func createLinkMakesSymlinkToRealPath() throws {
        try withTempRoot { root in
            let registry = makeRegistry(root)
            try write(#"{"name":"linked","script":"./x.sh","num_workers":"1"}"#, to: root + "/test/linked.json")
            let store = try registry.createLink(configPath: "test/linked.json")
            #expect(store.config.numWorkers == 1)
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: root + "/queue/linked/config.json")
            #expect(link == root + "/test/linked.json")
            #expect(throws: StoreFailure("queue is already running")) { try registry.createLink(configPath: "test/linked.json") }
            #expect(throws: StoreFailure("could not read queue config [ test/none.json ]: No such file or directory")) {
                try registry.createLink(configPath: "test/none.json")
            }
            try write(#"{"name":"x","script":"s"}"#, to: root + "/test/nw.json")
            #expect(throws: StoreFailure("json config is missing num_workers field")) { try registry.createLink(configPath: "test/nw.json") }
            try write(#"{"name":"x y","script":"s","num_workers":1}"#, to: root + "/test/bad.json")
            #expect(throws: StoreFailure("queue name has invalid characters")) { try registry.createLink(configPath: root + "/test/bad.json") }
        }
    }

    @Test func deleteRenamesWithInode() throws {
        try withTempRoot { root in
            let registry = makeRegistry(root)
            try registry.create(QueueConfig(name: "gone", script: "s"))
            let inode = try FileOps.status(root + "/queue/gone").st_ino
            try registry.delete("gone")
            #expect(!registry.contains("gone"))
            #expect(FileOps.isDirectory(root + "/queue/gone.deleted.\(inode)"))
            #expect(throws: StoreFailure("no such queue")) { try registry.delete("gone") }
            // The name is free again at once.
            try registry.create(QueueConfig(name: "gone", script: "s"))
            #expect(registry.loadAll().isEmpty)
            #expect(registry.names == ["gone"])
        }
    }

    @Test func reloadAndRescan() throws {
        try withTempRoot { root in
            let registry = makeRegistry(root)
            try registry.create(QueueConfig(name: "a", script: "s"))
            try registry.create(QueueConfig(name: "b", script: "s"))
            try write(#"{"name":"a","script":"s","num_workers":"4"}"#, to: root + "/queue/a/config.json.new")
            try FileOps.rename(root + "/queue/a/config.json.new", root + "/queue/a/config.json")
            try registry.reload("a")
            #expect(registry.queue("a")?.config.numWorkers == 4)
            try FileManager.default.removeItem(atPath: root + "/queue/b/config.json")
            try write(#"{"name":"c","script":"s"}"#, to: root + "/queue/c/config.json")
            let result = registry.rescan()
            #expect(result.reloaded == ["a"])
            #expect(result.removed == ["b"])
            #expect(result.added == ["c"])
            #expect(registry.names == ["a", "c"])
            #expect(throws: StoreFailure("no such queue")) { try registry.reload("b") }
        }
    }
}
