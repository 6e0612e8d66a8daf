extension QueueStore {
    /// Builds the index from the directories, which start-up recovery has repaired: prep ids,
    /// and every readable queued message (an unreadable one stays on disk, unscheduled, and
    /// is reported in `recovery.skipped`).
    func loadIndex() {
        index = QueueIndex()
        for entry in FileOps.listIfPresent(stateDirectory(.prep)).sorted() where MessageID.isValid(entry) {
            index.prep.append(entry)
        }
        let que = stateDirectory(.que)
        for entry in FileOps.listIfPresent(que).sorted() where MessageID.isValid(entry) {
            guard let message = readMessage(in: que + "/" + entry) else {
                recovery.skipped.append((entry, "unreadable msg"))
                continue
            }
            index.enqueue(id: entry, due: Double(message.due), params: message.params)
        }
    }
}
