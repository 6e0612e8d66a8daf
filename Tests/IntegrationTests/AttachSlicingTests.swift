import Foundation
import RQWire
import Testing

/// attach_message hashes a big file a slice per loop turn: other clients keep being answered,
/// and the message cannot be committed until the attachment has landed.
@Suite struct AttachSlicingTests {
    @Test func otherClientsAreServedWhileABigAttachmentIsHashed() throws {
        let s = try ServerFixture()
        try s.createQueue("big", paused: true)
        let socket = "queue/big/queue.sock"
        let prep = try s.rq1(socket, #"prep_message {"dest":"big"}"#)
        guard let full = (parseJSON(prep) as? [String])?.last else {
            Issue.record("prep: \(prep)")
            return
        }
        let id = shortID(full)
        // 512 MiB, sparse: no disk space, but every byte is read and hashed.
        let file = s.root + "/big.bin"
        #expect(FileManager.default.createFile(atPath: file, contents: nil))
        #expect(truncate(file, 512 << 20) == 0)

        let attachReply = Locked<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let socketPath = s.root + "/" + socket
        Thread.detachNewThread {
            let reply = try? Rq1TestClient.request(path: socketPath,
                                                   payload: #"attach_message {"msg_id":"\#(id)","pathname":"\#(file)"}"#)
            attachReply.mutate { $0 = reply }
            done.signal()
        }
        // Wait for the hidden link: the attach has begun.
        let attachDir = "\(s.root)/queue/big/prep/\(id)/attach"
        let deadline = Date().addingTimeInterval(10)
        while ((try? FileManager.default.contentsOfDirectory(atPath: attachDir)) ?? []).isEmpty,
              attachReply.value == nil, Date() < deadline { usleep(1000) }

        var pings = 0
        var commitRefused = false
        while attachReply.value == nil, Date() < deadline {
            if try s.rq1(socket, "ping ") == #"["pong"]"# { pings += 1 }
            if !commitRefused {
                let commit = try s.rq1(socket, #"commit_message {"msg_id":"\#(id)"}"#)
                commitRefused = commit == #"["fail","attach in progress for msg"]"#
                #expect(commitRefused || attachReply.value != nil, "\(commit)")
            }
        }
        done.wait()
        #expect(pings >= 5, "the loop answered only \(pings) pings while hashing 512 MiB")
        #expect(commitRefused)

        // The md5 of 512 MiB of zeros, and the attachment in place.
        let reply = attachReply.value ?? ""
        #expect(reply == #"["ok","aa559b4e3523a6c931f08f4df52d58f2-Attached successfully"]"#, "\(reply)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: attachDir).sorted() == [".big.bin.md5", "big.bin"])
        #expect(try s.rq1(socket, #"commit_message {"msg_id":"\#(id)"}"#) == #"["ok","msg commited"]"#)
    }

    /// After a restart, get_message takes an attachment's md5 from its `.md5` sidecar rather
    /// than hashing the file on the loop (a planted digest proves which one answered).
    @Test func aRestartedServerAnswersFromTheDigestSidecar() throws {
        let s = try ServerFixture()
        try s.createQueue("side", paused: true)
        let file = s.root + "/note.txt"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: file))
        let prep = try s.rq(["prepmesg", "--dest", "side"])
        let full = String(prep.out.dropFirst(3))
        #expect(try s.rq(["attachmesg", "--msg_id", full, "--pathname", file]).status == 0)
        #expect(try s.rq(["commitmesg", "--msg_id", full]).status == 0)
        let attached = "\(s.root)/queue/side/que/\(shortID(full))/attach/note.txt"
        let sidecar = "\(s.root)/queue/side/que/\(shortID(full))/attach/.note.txt.md5"
        #expect(FileManager.default.fileExists(atPath: sidecar))

        s.stop()
        var st = stat()
        #expect(stat(attached, &st) == 0)
        let planted = "0123456789abcdef0123456789abcdef"
        try "\(planted) \(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec) \(st.st_mtim.tv_nsec)\n"
            .write(toFile: sidecar, atomically: true, encoding: .utf8)
        try s.start()
        let reply = try s.rq1("queue/side/queue.sock", #"get_message {"msg_id":"\#(shortID(full))"}"#)
        #expect(reply.contains(#""md5":"\#(planted)""#), "\(reply)")
        // The listing never shows the sidecar.
        #expect(!reply.contains(".note.txt.md5"), "\(reply)")
    }

    /// An attachment placed by hand has no digest yet: get_message (rq1) and the message JSON
    /// route (HTTP) hash it in loop turns before answering, and the loop keeps serving.
    @Test func unknownDigestsAreHashedInTurnsBeforeShowingTheMessage() throws {
        let s = try ServerFixture()
        try s.createQueue("hand", paused: true)
        var ids: [String] = []
        for _ in 0..<2 {
            let created = try s.rq1("queue/hand/queue.sock", #"create_message {"dest":"hand"}"#)
            let id = shortID((parseJSON(created) as? [String])?.last ?? "")
            let attachDir = "\(s.root)/queue/hand/que/\(id)/attach"
            try FileManager.default.createDirectory(atPath: attachDir, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: attachDir + "/big.bin", contents: nil))
            #expect(truncate(attachDir + "/big.bin", 512 << 20) == 0)
            ids.append(id)
        }
        let zeros512 = "aa559b4e3523a6c931f08f4df52d58f2"
        let socketPath = s.root + "/queue/hand/queue.sock"
        let port = s.port
        // Each request is written before the pinging starts, so every ping answered before its
        // reply was answered while the server was hashing.
        let requests: [(connect: @Sendable () throws -> Int32, bytes: [UInt8], read: @Sendable (Int32) -> String)] = [
            ({ try Rq1TestClient.connect(path: socketPath) },
             Rq1Codec.encode(#"get_message {"msg_id":"\#(ids[0])"}"#),
             { fd in (try? Rq1TestClient.readFrame(fd)).map { String(decoding: $0, as: UTF8.self) } ?? "" }),
            ({ try RawTCP.connect(port: port) },
             Array("GET /q/hand/\(ids[1]).json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8),
             { fd in String(decoding: RawSocket.read(fd, seconds: 30).bytes, as: UTF8.self) }),
        ]
        for (index, request) in requests.enumerated() {
            let answer = Locked<String?>(nil)
            let sent = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                guard let fd = try? request.connect() else {
                    answer.mutate { $0 = "connect failed" }
                    sent.signal()
                    return
                }
                defer { close(fd) }
                try? Rq1TestClient.writeAll(fd, request.bytes)
                sent.signal()
                let text = request.read(fd)  // outside the lock: the loop below reads `answer`
                answer.mutate { $0 = text }
            }
            sent.wait()
            var pings = 0
            let deadline = Date().addingTimeInterval(30)
            while answer.value == nil, Date() < deadline {
                if try s.rq1("queue/hand/queue.sock", "ping ") == #"["pong"]"# { pings += 1 }
            }
            let reply = answer.value ?? ""
            #expect(reply.contains(#""md5":"\#(zeros512)""#), "\(index): \(reply.prefix(300))")
            #expect(pings >= 5, "\(index): only \(pings) pings answered while hashing 512 MiB")
            #expect(FileManager.default.fileExists(atPath: "\(s.root)/queue/hand/que/\(ids[index])/attach/.big.bin.md5"))
        }
    }
}
