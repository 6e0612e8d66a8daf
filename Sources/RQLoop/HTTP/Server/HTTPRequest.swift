/// A file part of a multipart body, already on disk.
public struct UploadedFile {
    /// The form field name (`name` of the part's Content-Disposition).
    public var fieldName: String
    /// The `filename` parameter as sent, with quoted-string escapes removed and nothing else
    /// decoded (Rack also %-unescaped it; routes decide).
    public var filename: String
    /// Temp file in the session's upload directory; the handler moves or deletes it.
    public var path: String
    /// Lowercase hex MD5 of the content.
    public var md5: String
    public var size: Int64
    /// The part's `Content-Type`, if it had one.
    public var contentType: String?

    public init(fieldName: String, filename: String, path: String, md5: String, size: Int64, contentType: String?) {
        self.fieldName = fieldName
        self.filename = filename
        self.path = path
        self.md5 = md5
        self.size = size
        self.contentType = contentType
    }
}

/// A complete request handed to the handler: the body has been fully received.
public struct HTTPRequest {
    public var head: HTTPRequestHead
    /// Query parameters, then urlencoded or multipart text fields, in order. Query and
    /// urlencoded names/values are percent-decoded with `+` as space; multipart text parts are
    /// taken verbatim (UTF-8).
    public var fields: [(name: String, value: String)]
    /// File parts of a multipart body.
    public var files: [UploadedFile]
    /// The raw body for content types other than urlencoded and multipart forms.
    public var body: [UInt8]

    public init(head: HTTPRequestHead, fields: [(name: String, value: String)], files: [UploadedFile], body: [UInt8]) {
        self.head = head
        self.fields = fields
        self.files = files
        self.body = body
    }

    /// First field with that name (case-sensitive, like form names).
    public func field(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// First uploaded file of that field.
    public func file(_ fieldName: String) -> UploadedFile? {
        files.first { $0.fieldName == fieldName }
    }
}
