import Testing
import Lessons
import Tensor

/// Sizes no lesson needs, typed on purpose or by a slip: each ends in a message at the
/// call, before anything is allocated or computed (these crashed with an overflow trap or
/// a failed allocation, or ran for minutes, before the memory budget).
struct HostileSizeTests {
    @Test(arguments: [
        ("x = bar_images(2**60)", "bar images: this would need more than 9 EB for a (1152921504606846976, 6, 6) tensor"),
        ("p = positions(2**32, 2**32)", "this would need more than 9 EB for a (4294967296, 4294967296) tensor"),
        ("r = ResidualStack(4, steps: 10**9)", "ResidualStack: this would need 304 GB for the weights of 1000000000 steps"),
        ("e = embed([\"a\", \"b\"], dim: 10**9)", "embed(): this would need 8 GB for a (2, 1000000000) tensor"),
        ("x = ones([100000, 1]) * ones([1, 100000])", "multiply: this would need 40 GB for a (100000, 100000) tensor"),
        ("y = sum(zeros([0, 2**40]), axis: 0)", "this would need 4.4 TB for a (1099511627776,) tensor"),
        ("g = GPT(\"hello there\", dim: 32, layers: 2**32, heads: 2, block_size: 16, seed: 1)", "GPT: this would need 211 TB for the weights of 4294967296 layers of width 32"),
        ("b = BERT(\"hello there\", dim: 32, layers: 2**32, heads: 2, block_size: 16, seed: 1)", "BERT: this would need 211 TB for the weights of 4294967296 layers of width 32"),
        ("g = GPT(\"hello there\", dim: 32, layers: 1, heads: 2, block_size: 4, seed: 1); l = g.train(steps: 1, batch_size: 10**9, lr: 0.01, seed: 1)",
         "train: this would need 112 GB for the logits of a batch of 1000000000 windows of 4 tokens"),
        ("w = Word2Vec(Vocabulary(\"a b a c\"), negatives: 2**32, seed: 1)", "Word2Vec: this would need 34 GB for the 4294967296 negative samples of one pair"),
        // Found by substituting 2**32 for the kernel size in the CNN lesson (an overflow trap).
        ("c = Conv2D(1, 1, kernel: 2**32, padding: 1)", "Conv2D: this would need more than 9 EB for its weights, a (1, 1, 4294967296, 4294967296) tensor"),
        ("c = Conv1D(2**40, 2**40, kernel: 2)", "Conv1D: this would need more than 9 EB for its weights, a (1099511627776, 1099511627776, 2) tensor"),
    ])
    func refusedAtTheCall(code: String, message: String) throws {
        try MemoryBudget.withLimit(4_000_000_000) {
            let stopwatch = Stopwatch()
            let result = try session(code).run(cell: 0)
            #expect(result.error?.contains(message) == true, "\(result.error ?? "no error")")
            #expect(result.error?.contains("the limit is 4 GB (--max-memory changes it)") == true)
            #expect(result.error?.contains(".md:4:") == true)  // the cell's line in the lesson
            #expect(stopwatch.seconds < 5)
        }
    }

    /// One op that runs for seconds stops at the time limit, not after: an 8000 × 8000
    /// product in a loop ran 7 s past a 2 s limit, a batch of large images and 10⁸ random
    /// draws ran on too, and tolist of 25 million numbers took seconds to build and free.
    @Test(arguments: [
        // Where it stops: in the op, or (on a slow machine) in the line making its input.
        ("a = ones([8000, 8000])\nb = a @ a", ["5:7", "4:5"]),
        ("a = ones([8000, 8000])\nb = a @ transpose(a)", ["5:7", "5:9", "4:5"]),
        ("m = Linear(8000, 8000)\ny = m(ones([8000, 8000]))", ["4:5", "5:5", "5:7"]),
        ("c = Conv2D(16, 16)\nx = ones([512, 16, 128, 128])\ny = c(x)", ["6:5", "5:5"]),
        ("x = randn([20000, 20000])", ["4:5"]),
        // One step of the exact score for 4 million points ran a second and a half unasked.
        ("s = sample(exact_score(eight_gaussians()), n: 4000000, steps: 2)", ["4:5"]),
    ])
    func oneLongOpStopsAtTheTimeLimit(code: String, at places: [String]) throws {
        try MemoryBudget.withLimit(4_000_000_000) {
            let s = try session(code)
            s.limitTime(to: 0.2)
            let stopwatch = Stopwatch()
            let result = s.run(cell: 0)
            let error = result.error ?? "no error"
            #expect(places.contains { error.contains(".md:\($0): error: stopped here after 0.2 s, the time limit for one lesson") }, "\(error)")
            // Generous, for a busy machine: each op alone runs 7 s or more (a product of
            // 8000² matrices, 4·10⁸ draws); stopped, it ends within a few tenths of a second
            // of the limit, plus the freeing of what it made.
            #expect(stopwatch.seconds < 4)
        }
    }

    @Test func tolistOfMoreNumbersThanAListHoldsIsRefused() throws {
        let result = try session("x = zeros([5000, 5000])\ny = x.tolist()").run(cell: 0)
        #expect(result.error?.contains(".md:5:5: error: tolist: a (5000, 5000) tensor holds 25000000 numbers; lists hold at most 1000000") == true,
                "\(result.error ?? "no error")")
        #expect(try session("y = zeros([1000, 1000]).tolist()\nexpect len(y) == 1000").run(cell: 0).error == nil)
    }

    @Test(arguments: [
        ("g = GPT(\"ab\", dim: 10**6, layers: 1, heads: 2, block_size: 8)", "for the weights of 1 layer of width 1000000;"),
        ("x = reshape(zeros(1), [3])", "1 value cannot fill 3 places"),
        ("g = GPT(\"a\", dim: 8, layers: 1, heads: 2, block_size: 4)\nl = g.train(steps: 1)", "the text has 1 token; windows"),
    ])
    func oneIsSingular(code: String, message: String) throws {
        try MemoryBudget.withLimit(1_000_000_000) {
            let result = try session(code).run(cell: 0)
            #expect(result.error?.contains(message) == true, "\(result.error ?? "no error")")
        }
    }

    /// A padding so large that the padded length overflows is refused by name; before, the
    /// sum trapped.
    @Test(arguments: [
        "c = Conv2D(1, 1, kernel: 2, padding: 2**62); y = c(zeros([1, 1, 3, 3]))",
        "c = Conv1D(1, 1, kernel: 2, padding: 2**62); y = c(zeros([1, 1, 3]))",
    ])
    func paddingThatOverflowsIsRefused(code: String) throws {
        let result = try session(code).run(cell: 0)
        #expect(result.error?.contains("padding 4611686018427387904 is too large: a length-3 input padded by it on both sides has more than 9223372036854775807 positions") == true,
                "\(result.error ?? "no error")")
    }
}
