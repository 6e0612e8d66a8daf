import Foundation

/// attach_message and delete_attach_message (uds-protocol §4.4.2), plus attachment listing.
extension QueueStore {
    /// Validates and hard-links `pathname` as attachment `name` (default: its basename) of the
    /// prep message `id`; the md5 is computed by the returned object's `hashSlice()`, unless it
    /// is `knownMD5` or this inode was hashed before.
    /// Failure texts and their order are the original's.
    public func beginAttach(msgID id: String, pathname: String, name requestedName: String?,
                            knownMD5: String? = nil) throws(StoreFailure) -> PendingAttachment {
        guard index.prep.contains(id), let dir = path(of: id, in: .prep) else { throw StoreFailure("cannot find message") }
        guard FileOps.isDirectory(dir) else { throw StoreFailure("No message on disk") }
        guard !attaching.contains(id) else { throw StoreFailure("attach in progress for msg") }
        guard pathname.hasPrefix("/") else {
            throw StoreFailure("Invalid pathname, must be normalized \(pathname) (ie. must start with /")
        }
        let source = try AttachmentSource.check(pathname)
        let name = requestedName ?? (pathname as NSString).lastPathComponent
        switch AttachmentName.problem(with: name) {
        case .dotFile?: throw StoreFailure("Attachment name as a dot-file not allowed: \(name)")
        case .empty?, .invalidCharacter?: throw StoreFailure("Attachment name has invalid character. not allowed: \(name)")
        case nil: break
        }
        guard let messageDir = try? FileOps.status(dir), messageDir.st_dev == source.st_dev else {
            throw StoreFailure("Attachment must be on same filesystem as que: \(pathname)")
        }
        let attachDir = dir + "/attach"
        let temporary = attachDir + "/." + name + ".tmp"
        do {
            try FileOps.makeDirectories(attachDir)
            try FileOps.unlinkIfPresent(temporary)
            try FileOps.link(pathname, temporary)
            let known = knownMD5 ?? (try? FileOps.status(temporary)).flatMap { digests.md5(for: $0) }
            let pending = try PendingAttachment(msgID: id, name: name, temporaryPath: temporary,
                                                finalPath: attachDir + "/" + name, knownMD5: known)
            attaching.insert(id)
            return pending
        } catch {
            unlink(temporary)
            throw StoreFailure("could not attach \(pathname): \(error.reason)")
        }
    }

    /// Renames an attachment over `attach/<name>` once hashed (what `hashSlice` left is hashed
    /// now); returns its md5.
    public func finishAttach(_ pending: PendingAttachment) throws(StoreFailure) -> String {
        attaching.remove(pending.msgID)
        guard index.prep.contains(pending.msgID) else {
            pending.abandon()
            throw StoreFailure("cannot find message")
        }
        do {
            while try !pending.hashSlice() {}
        } catch {
            pending.abandon()
            throw StoreFailure("could not attach: \(error.reason)")
        }
        guard let md5 = pending.digest.md5 else {
            pending.abandon()
            throw StoreFailure("could not attach")
        }
        do {
            try FileOps.rename(pending.temporaryPath, pending.finalPath)
        } catch {
            pending.abandon()
            throw StoreFailure("could not attach: \(error.reason)")
        }
        if let st = try? FileOps.status(pending.finalPath) { remember(md5, of: pending.finalPath, st) }
        record(pending.msgID, .attached(state: .prep, name: pending.name))
        return md5
    }

    /// Gives up an attach begun with `beginAttach` (its file could not be read).
    public func abandonAttach(_ pending: PendingAttachment) {
        attaching.remove(pending.msgID)
        pending.abandon()
    }

    /// attach_message in one call; returns the md5. `knownMD5` skips hashing: for files whose
    /// digest the server computed itself (an upload it received, a cached attachment).
    public func attach(msgID id: String, pathname: String, name: String?, knownMD5: String? = nil) throws(StoreFailure) -> String {
        try finishAttach(try beginAttach(msgID: id, pathname: pathname, name: name, knownMD5: knownMD5))
    }

    /// The md5 of a file if it (this inode, unchanged) has been hashed before.
    public func cachedDigest(of path: String) -> String? {
        guard let st = try? FileOps.status(path) else { return nil }
        return knownDigest(of: path, st)
    }

    /// From memory, or from the file's sidecar when it matches (then remembered in memory).
    func knownDigest(of path: String, _ st: stat) -> String? {
        if let known = digests.md5(for: st) { return known }
        guard let recorded = DigestSidecar.read(for: path, matching: st) else { return nil }
        digests.record(st, md5: recorded)
        return recorded
    }

    /// delete_attach_message.
    public func deleteAttachment(msgID id: String, name: String) throws(StoreFailure) {
        guard index.prep.contains(id) else {
            throw StoreFailure(locate(id) == nil ? "msg not found" : "msg not in prep")
        }
        guard let dir = path(of: id, in: .prep), FileOps.isDirectory(dir) else { throw StoreFailure("No message on disk") }
        let attachDir = dir + "/attach"
        guard FileOps.isDirectory(attachDir) else { throw StoreFailure("No attach directory for msg") }
        let file = attachDir + "/" + name
        guard AttachmentName.isValid(name), FileOps.exists(file) else {
            throw StoreFailure("No attachment with that named for msg")
        }
        let removed = try? FileOps.status(file)
        do { try FileOps.removeTree(file) } catch { throw StoreFailure("could not delete attachment: \(error.reason)") }
        if let removed, removed.st_nlink <= 1 { digests.forget(removed) }
        unlink(DigestSidecar.path(for: file))
        record(id, .attachmentRemoved(name: name))
    }

    /// Attachment names and absolute paths of the message in `directory` (non-dot files), sorted.
    public func attachments(inMessageDirectory directory: String) -> [(name: String, path: String)] {
        let attachDir = directory + "/attach"
        return FileOps.listIfPresent(attachDir).filter { !$0.hasPrefix(".") }.sorted().map { ($0, attachDir + "/" + $0) }
    }

    /// `{name: {md5, size, path}}` for the `_attachments` field, or nil when there are none.
    func attachmentsObject(inMessageDirectory directory: String) -> JSONObject? {
        var result = JSONObject()
        for (name, path) in attachments(inMessageDirectory: directory) {
            guard let st = try? FileOps.status(path), let md5 = digest(of: path, st) else { continue }
            result[name] = ["md5": .string(md5), "size": .int(Int(st.st_size)), "path": .string(path)]
        }
        return result.isEmpty ? nil : result
    }

    /// md5 of an attachment: from memory or its sidecar when inode, size and mtime are
    /// unchanged; hashed (once, then remembered) only for files attached by hand or by an
    /// older server.
    func digest(of path: String, _ st: stat) -> String? {
        if let known = knownDigest(of: path, st) { return known }
        guard let md5 = try? FileDigest(path: path).finish() else { return nil }
        remember(md5, of: path, st)
        return md5
    }

    /// Attachments of message `id` whose md5 is known neither in memory nor from a valid
    /// sidecar (placed by hand or by an older server), with their state before hashing.
    public func attachmentsWithoutDigest(_ id: String) -> [(path: String, status: stat)] {
        guard let location = locate(id) else { return [] }
        return attachments(inMessageDirectory: location.path).compactMap { _, path in
            guard let st = try? FileOps.status(path), knownDigest(of: path, st) == nil else { return nil }
            return (path, st)
        }
    }

    /// A digest hashed elsewhere (in loop slices) for the file as it was in `st`; a file that
    /// changed meanwhile simply does not match it later.
    public func recordDigest(_ md5: String, of path: String, as st: stat) {
        remember(md5, of: path, st)
    }

    /// In memory and in the attachment's sidecar.
    private func remember(_ md5: String, of path: String, _ st: stat) {
        digests.record(st, md5: md5)
        do {
            // Not recorded: a sidecar lost or torn by a crash no longer matches and is ignored.
            // A new attachment's sidecar is synced with its `.attached` record.
            try DigestSidecar.write(md5, for: path, st)
        } catch {
            // Only a cache: without it the next server hashes the file again.
        }
    }
}
