import Testing
import Lessons

/// Messages that misled, now saying what happened and what to write (each quoted from a
/// run of a hostile corpus); and a list joined with a tensor, which failed with a
/// broadcast of (0,) against (1, 1000).
struct MessageTests {
    func error(_ code: String) throws -> String? {
        try session(code).run(cell: 0).error
    }

    @Test(arguments: [
        ("f = lambda x: x", "4:5: error: 'lambda' is not part of Huddle's language"),
        ("g = lambda: 0", "hint: define a named function with 'def' instead, as in: def double(x): return 2 * x"),
        ("r = randn([2], seed: 2**64)", "error: seed must be a whole number from 0 to 2**63 - 1, got 1.8446744073709552e+19"),
        ("r = randn([2], seed: -1)", "error: seed must be a whole number from 0 to 2**63 - 1, got -1"),
        ("y = range(10)[1e19]", "error: indices must lie between -2**63 and 2**63 - 1, got 1e+19"),
        ("y = range(10)[0.5]", "error: indices must be whole numbers, got 0.5"),
        ("y = range(10)[0.5:]", "error: slice bounds must be whole numbers or left out, got 0.5"),
    ])
    func saysWhatToWrite(code: String, message: String) throws {
        let found = try error(code)
        #expect(found?.contains(message) == true, "\(found ?? "no error")")
    }

    /// A slice bound past Int's range is past every end, as in Python.
    @Test func slicesWithHugeBoundsAreClamped() throws {
        let result = try session("print(range(5)[1e19:2], range(5)[-1e19:1e19], range(5)[1e19:-1e19:-1], \"abc\"[-1e19:], zeros(3)[1e19:].shape)").run(cell: 0)
        #expect(result.error == nil)
        #expect(result.printed == "[] [0, 1, 2, 3, 4] [4, 3, 2, 1, 0] abc [0]\n")
    }

    /// `hs = hs + [h]` collects tensors in a list, as it collects numbers.
    @Test func aListJoinsATensorsRows() throws {
        let result = try session("hs = []\nfor i in range(3):\n    hs = hs + [ones(2) * i]\nprint(len(hs), hs[2], stack(hs).shape)\nx = []\nx = x + [zeros(1000)]\nprint(len(x), x[0].shape)").run(cell: 0)
        #expect(result.error == nil)
        #expect(result.printed == "3 [2, 2] [3, 2]\n1 [1000]\n")
    }
}
