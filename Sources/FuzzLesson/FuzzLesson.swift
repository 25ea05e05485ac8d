import Foundation
import Language
import Lessons
import Render
import Tensor

// The lesson loader, scanner, parser and interpreter under a coverage-guided fuzzer
// (libFuzzer): every input is a lesson file's text, run as `huddle test` runs it, and
// must end in a result or in an error located at a line of the file — never a crash, a
// trap or a runaway allocation. `scripts/fuzz` builds this with -sanitize=fuzzer,address
// and -DFUZZING; built normally it is a replayer: `FuzzLesson FILE…` runs each file
// once (a crash file libFuzzer left, or the seed corpus), which is how a crash becomes
// a regression test.

/// Budgets far below `huddle test`'s, so one input costs milliseconds: a runaway loop, a
/// recursion or a huge tensor must still end in a message, only sooner. The memory one
/// lesson may use comes on top of what the process holds as it starts (`residentBytes`).
private let stepBudget = 100_000
private let seconds = 1.0
private let memoryLimit = 64 << 20
/// A loop that prints or shows a value on every turn is the fuzzer's commonest input;
/// past this much output its prints are only counted. At 16 kB, drawing the pictures of
/// shown values took a third of the fuzzer's time.
private let outputLimit = 2_000

/// The folder the fuzzed lesson sits in: one per process (made on first use, removed at
/// exit), with a copy of Lessons/data so the shipped lessons' cells that read data find
/// it. A lesson may read and write files only inside its folder, so nothing an input
/// does reaches the repository.
private let folder: String = {
    var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("huddle-fuzz-lesson-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("FuzzLesson: cannot make a temporary folder") }
    let path = String(cString: made)
    let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Lessons/data").standardizedFileURL.path
    try? FileManager.default.copyItem(atPath: data, toPath: path + "/data")
    atexit { try? FileManager.default.removeItem(atPath: folder) }
    return path
}()

/// Runs the text as `LessonTester.test` runs a file — a structural problem or the first
/// error stops it, failed checks do not — with the public calls that reach the same code
/// from memory: each exercise gets its solution and each declared wrong answer (state
/// rewound between them) and is left as after `:solution`; each prediction is judged
/// after its cell; each pinned output compared.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLesson(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    let path = folder + "/lesson.md"
    // A located message must point at a line of the file, counted as the lesson reader
    // and the scanner count them (at "\n" and "\r\n").
    let lineCount = text.reduce(1) { $1.isLineBreak ? $0 + 1 : $0 }
    MemoryBudget.withLimit(residentBytes() + memoryLimit) {
        let session: LessonSession
        do {
            session = try LessonSession(path: path, text: text, options: RenderOptions(color: .none, width: 80), stepBudget: stepBudget)
        } catch {
            fatalError("FuzzLesson: the lesson's folder cannot be opened: \(error)")
        }
        session.limitTime(to: seconds)
        session.outputLimit = outputLimit
        for problem in session.document.problems { checkLocated(problem, path, lineCount, "a problem of the file") }
        guard session.document.problems.isEmpty else { return }
        var cell = 0, exercise = 0
        for section in session.document.sections {
            switch section {
            case .prose: continue
            case .cell:
                let result = session.run(cell: cell)
                if let error = result.error {
                    checkLocated(error, path, lineCount, "a cell's error")
                    return
                }
                if let pin = session.document.pin(ofCell: cell) { _ = pin.mismatch(PinnedOutput.printed(result)) }
                _ = session.resolvePredictions(afterCell: cell)
                cell += 1
            case .exercise(let e):
                session.reach(exercise: exercise)
                for answer in [e.solution] + e.wrongs.map(\.answer) {
                    _ = session.attempt(answer.text, at: exercise)
                    if e.kind == .goal {
                        session.restore(beforeExercise: exercise)
                        session.reach(exercise: exercise)
                    }
                }
                _ = session.showSolution(exercise)
                exercise += 1
            }
        }
    }
    return 0
}

/// The process's resident memory (/proc/self/statm), which MemoryBudget counts against its
/// limit: under AddressSanitizer the fuzzer alone holds 100–400 MB (shadow memory, the
/// quarantine of freed blocks), so a bare 64 MB limit would refuse every tensor.
private func residentBytes() -> Int {
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let n = read(fd, &buffer, buffer.count - 1)
    // "size resident shared …", in pages.
    let fields = buffer.prefix(max(n, 0)).split(separator: UInt8(ascii: " "))
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// `path:LINE:…` with LINE a line of the file.
private func checkLocated(_ message: String, _ path: String, _ lineCount: Int, _ what: String) {
    let line = message.hasPrefix(path + ":") ? Int(message.dropFirst(path.count + 1).prefix { $0.isNumber }) : nil
    if let line, (1...lineCount).contains(line) { return }
    fatalError("\(what) is not located at a line of the file (it has \(lineCount)): \(message)")
}

#if !FUZZING
@main
enum Replay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("FuzzLesson: cannot read \(path)\n".utf8))
                exit(2)
            }
            _ = data.withUnsafeBytes { fuzzLesson($0.bindMemory(to: UInt8.self).baseAddress, data.count) }
        }
        print("FuzzLesson: \(paths.count) input\(paths.count == 1 ? "" : "s") ran to a result or a located error")
    }
}
#endif
