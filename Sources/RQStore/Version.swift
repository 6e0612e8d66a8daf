public enum RQVersion { public static let string = "3.0.0" }
