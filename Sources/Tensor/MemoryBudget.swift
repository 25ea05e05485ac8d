#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import Synchronization

/// The memory a program may make the engine hold, checked before every allocation a
/// lesson can make grow without bound (new tensors, broadcasts, gathers, reductions,
/// products), so a typo like `ones([100000, 1]) * ones([1, 100000])` ends in a message
/// at the line that asked, not in the allocator's abort.
///
/// Two checks: one tensor may not need more than the limit, and — for a large request,
/// or once 64 MiB of requests have added up since the last look — the process's resident
/// memory plus the request may not exceed it. Reading the resident size costs a few
/// microseconds, so small tensors are counted, not measured, one by one: a loop making
/// millions of small ones is still caught within 64 MiB of the limit.
public enum MemoryBudget {
    /// The default: a quarter of the machine's memory, at least 1 GiB — room for every
    /// lesson (they need tens of megabytes), and far from what the machine can give.
    public static let defaultLimit: Int = {
        let pages = Int(sysconf(Int32(_SC_PHYS_PAGES))), size = Int(sysconf(Int32(_SC_PAGESIZE)))
        let physical = pages > 0 && size > 0 ? pages.multipliedReportingOverflow(by: size).partialValue : 4 << 30
        return Swift.max(physical / 4, 1 << 30)
    }()

    private static let limitBytes = Atomic<Int>(defaultLimit)
    private static let unmeasured = Atomic<Int>(0)
    /// Requests at least this large always look at the resident size.
    static let measuredRequest = 1 << 20
    /// Smaller requests look once this much has been asked for since the last look.
    static let unmeasuredAllowance = 64 << 20

    /// The limit in bytes: the process's (`--max-memory`), or within `withLimit` that one.
    public static var limit: Int {
        get { scopedLimit ?? limitBytes.load(ordering: .relaxed) }
        set { limitBytes.store(Swift.max(newValue, 0), ordering: .relaxed) }
    }

    @TaskLocal static var scopedLimit: Int?
    /// What the message says changes the limit in force ("--max-memory changes it").
    @TaskLocal static var scopedSource: String?

    /// Runs `body` with another limit on this task only (tests; a lesson's own setting,
    /// whose `source` the messages name instead of --max-memory).
    public static func withLimit<R>(_ bytes: Int, source: String? = nil, _ body: () throws -> R) rethrows -> R {
        try $scopedLimit.withValue(Swift.max(bytes, 0)) {
            try $scopedSource.withValue(source ?? scopedSource, operation: body)
        }
    }

    /// The end of every refusal: what sets the limit.
    static var changesIt: String { scopedSource ?? "--max-memory changes it" }

    /// Throws, before anything is allocated, if `count` values of `bytesPerValue` bytes
    /// (for a tensor of `shape`, made by `op`) would go past the limit.
    public static func check(count: Int, bytesPerValue: Int = 4, shape: [Int]? = nil, op: String, what: String? = nil) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: bytesPerValue)
        let limit = self.limit
        let what = what ?? shape.map { "a \(formatShape($0)) tensor" } ?? "\(count) values"
        if overflow || bytes > limit {
            throw TensorError("\(op): this would need \(overflow ? "more than 9 EB" : formatBytes(bytes)) for \(what); the limit is \(formatBytes(limit)) (\(changesIt))")
        }
        let pending = unmeasured.add(bytes, ordering: .relaxed).newValue
        guard bytes >= measuredRequest || pending >= unmeasuredAllowance else { return }
        unmeasured.store(0, ordering: .relaxed)
        guard let resident = heldBytes(over: limit - bytes) else { return }
        if resident > limit - bytes {
            throw TensorError("\(op): this would need \(formatBytes(bytes)) for \(what), with \(formatBytes(resident)) already in use; the limit is \(formatBytes(limit)) (\(changesIt))")
        }
    }

    /// Checks, before a model or data builder fills it, that a tensor of `shape` can be
    /// made: sizes not negative, their product not overflowing, room under the limit.
    /// `what` names it in the message ("the weights of 10⁹ steps"; default "a (…) tensor").
    public static func reserve(_ shape: [Int], op: String, what: String? = nil) throws {
        let total = try Shape.validateSizes(shape, op: op)
        if total > 0 { try check(count: total, shape: shape, op: op, what: what) }
    }

    /// After values were made elsewhere (`Tensor(shape:scalars:)`): counts them, and
    /// when a look is due, throws if the process already holds more than the limit — the
    /// net under builders that fill an array before they make a tensor of it.
    static func checkHeld(count: Int, op: String) throws {
        let pending = unmeasured.add(count &* 4, ordering: .relaxed).newValue
        guard count &* 4 >= measuredRequest || pending >= unmeasuredAllowance else { return }
        unmeasured.store(0, ordering: .relaxed)
        let limit = self.limit
        if let resident = heldBytes(over: limit), resident > limit {
            throw TensorError("\(op): the lesson holds \(formatBytes(resident)), over the limit of \(formatBytes(limit)) (\(changesIt))")
        }
    }

    /// The resident size, measured again after freed memory is given back when it is past
    /// `threshold`: the allocator may keep freed pages (the huddle executable asks it to,
    /// for huge pages), and those are not the lesson's.
    static func heldBytes(over threshold: Int) -> Int? {
        guard let resident = residentBytes() else { return nil }
        guard resident > threshold else { return resident }
        hk_release_free_memory()
        return residentBytes()
    }

    /// The process's resident memory, from /proc/self/statm (nil where there is none).
    static func residentBytes() -> Int? {
        #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
        guard n > 0 else { return nil }
        // "size resident shared …", in pages.
        let fields = buffer[0..<n].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }

    /// 40 GB, 512 MB, 3 kB: decimal units, as people say them (4·10¹⁰ bytes is "40 GB").
    public static func formatBytes(_ bytes: Int) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let rounded = value >= 10 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
        return "\(rounded.hasSuffix(".0") ? String(rounded.dropLast(2)) : rounded) \(units[unit])"
    }

    /// Parses `4GB`, `512 MB`, `2g` (decimal), `1.5GiB` (binary) or a number of bytes
    /// (`--max-memory`).
    public static func parseBytes(_ text: String) -> Int? {
        let trimmed = text.filter { $0 != " " }.lowercased()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0, number.isFinite else { return nil }
        let scale: Double
        switch trimmed.dropFirst(digits.count) {
        case "", "b": scale = 1
        case "k", "kb": scale = 1e3
        case "m", "mb": scale = 1e6
        case "g", "gb": scale = 1e9
        case "t", "tb": scale = 1e12
        case "kib": scale = 1024
        case "mib": scale = 1_048_576
        case "gib": scale = 1_073_741_824
        case "tib": scale = 1_099_511_627_776
        default: return nil
        }
        let bytes = number * scale
        return bytes < 9e18 ? Int(bytes) : nil
    }
}
