import Testing
@testable import Tensor

/// The memory budget: every op that can make a tensor larger than its inputs asks before
/// it allocates, and says how much it would need against the limit.
struct MemoryBudgetTests {
    @Test func bombsEndInAMessageBeforeAnyAllocation() throws {
        try MemoryBudget.withLimit(4_000_000_000) {
            // A broadcast of a column against a row: 10¹⁰ values from 2·10⁵.
            let column = try Tensor.ones([100_000, 1]), row = try Tensor.ones([1, 100_000])
            #expect(errorMessage { try column * row }
                == "multiply: this would need 40 GB for a (100000, 100000) tensor; the limit is 4 GB (--max-memory changes it)")
            #expect(errorMessage { try column.broadcast(to: [100_000, 100_000]) }?.hasPrefix("broadcast: this would need 40 GB") == true)
            // An empty axis summed away leaves the other one: 2⁴⁰ values from none.
            let empty = try Tensor.zeros([0, 1 << 40])
            #expect(errorMessage { try empty.sum(axis: 0) }
                == "sum: this would need 4.4 TB for a (1099511627776,) tensor; the limit is 4 GB (--max-memory changes it)")
            // A gather repeating a row: 10⁶ rows of 10⁴ from a table of one.
            let table = try Tensor.ones([1, 10_000])
            #expect(errorMessage { try table.take([Int](repeating: 0, count: 1_000_000)) }?.hasPrefix("take: this would need 40 GB for a (1000000, 10000) tensor") == true)
        }
    }

    @Test func theProcessesMemoryCountsAgainstTheLimit() throws {
        // With less room than the process already holds, even a 4 MB tensor is refused,
        // and the message says what is in use. (A quarter of it: before refusing, the check
        // gives freed memory back and measures again, and the tests running alongside free
        // some.)
        let resident = try #require(MemoryBudget.residentBytes())
        MemoryBudget.withLimit(resident / 4) {
            let text = errorMessage { try Tensor.zeros([1000, 1000]) }
            #expect(text?.hasPrefix("zeros: this would need 4 MB for a (1000, 1000) tensor, with ") == true)
            #expect(text?.hasSuffix(" already in use; the limit is \(MemoryBudget.formatBytes(resident / 4)) (--max-memory changes it)") == true)
            // Small tensors are counted until 64 MB of them add up, then measured: kept
            // ones (4 kB each) are refused near the limit. (Other tests run alongside and
            // free memory meanwhile, so the bound is loose: 1 GB of them would be made
            // without the check.)
            var kept: [Tensor] = []
            let stopped = errorMessage {
                for _ in 0..<250_000 { kept.append(try Tensor.zeros([1000])) }
                return 0
            }
            #expect(stopped?.contains("already in use") == true && kept.count < 250_000)
        }
        #expect(try Tensor.zeros([1000, 1000]).count == 1_000_000)
    }

    @Test func sizesReadAndWrittenAsPeopleSayThem() {
        #expect(MemoryBudget.formatBytes(40_000_000_000) == "40 GB")
        #expect(MemoryBudget.formatBytes(6_442_450_944) == "6.4 GB")
        #expect(MemoryBudget.formatBytes(512) == "512 bytes")
        #expect(MemoryBudget.formatBytes(1_500) == "1.5 kB")
        #expect(MemoryBudget.parseBytes("4GB") == 4_000_000_000)
        #expect(MemoryBudget.parseBytes("512 mb") == 512_000_000)
        #expect(MemoryBudget.parseBytes("2GiB") == 2 << 30)
        #expect(MemoryBudget.parseBytes("1.5g") == 1_500_000_000)
        #expect(MemoryBudget.parseBytes("1000") == 1000)
        for bad in ["", "GB", "4 XB", "-1GB", "1e400", "99999999999TB"] { #expect(MemoryBudget.parseBytes(bad) == nil, "\(bad)") }
    }
}
