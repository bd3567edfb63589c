/// Compile-time scopes: names resolve to frame slots before anything runs.
///
/// One `FunctionScope` per function (and one for a unit); blocks inside it add name
/// maps but share its frame. A unit's outermost block is the global table.
final class FunctionScope {
    let parent: FunctionScope?
    let isUnit: Bool
    var blocks: [[String: Int]] = [[:]]
    var slotCount = 0
    var loopDepth = 0

    init(parent: FunctionScope?, isUnit: Bool) {
        self.parent = parent
        self.isUnit = isUnit
    }

    /// True at a unit's top level, where declarations are globals.
    var atGlobalLevel: Bool { isUnit && blocks.count == 1 }

    func declareLocal(_ name: String) -> Int {
        let slot = slotCount
        slotCount += 1
        blocks[blocks.count - 1][name] = slot
        return slot
    }
}

/// Where a name lives once resolved.
enum Resolution {
    case local(depth: Int, slot: Int)
    case global(Int)
}
