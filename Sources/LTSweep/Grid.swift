import Foundation

/// A usage problem with a sweep (bad `-p`, empty grid, unknown `--over`, a backend that
/// cannot start): `ltnb sweep` prints it and exits 2 before anything runs or is submitted.
public struct SweepError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One axis of the grid, from `-p name=v1,v2` or `-p name=a..b:step`. Values stay text:
/// each point passes them to `ltnb run -p`, which types them as it always does, so a
/// sweep point and a hand-typed run can never disagree about what `10` means.
public struct SweepAxis: Codable, Equatable, Sendable {
    public var name: String
    public var values: [String]
    public init(name: String, values: [String]) { self.name = name; self.values = values }
}

/// One point of the grid: its position, its folder name under `runs/`, and its params.
public struct SweepPoint: Codable, Equatable, Sendable {
    public struct Param: Codable, Equatable, Sendable {
        public var name: String
        public var value: String
    }
    public var index: Int
    /// A stable, readable folder name: `seed-0_loss-ce`.
    public var name: String
    public var params: [Param]

    public func value(of axis: String) -> String? { params.first { $0.name == axis }?.value }
}

/// Parses `-p` specs and builds the cartesian grid.
public enum SweepGrid {
    /// Past this the grid is surely a typo (`0..1e6`), not an experiment.
    public static let maxPoints = 100_000

    /// `name=v1,v2,...` where an item may be a range `a..b` or `a..b:step` (inclusive).
    public static func parseAxis(_ spec: String) throws(SweepError) -> SweepAxis {
        guard let eq = spec.firstIndex(of: "=") else { throw SweepError("-p expects name=values, got '\(spec)'") }
        let name = String(spec[..<eq])
        guard isIdentifier(name) else { throw SweepError("-p '\(spec)': '\(name)' is not a param name") }
        let list = String(spec[spec.index(after: eq)...])
        var values: [String] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let item = String(item)
            guard !item.isEmpty else { throw SweepError("-p \(name)=\(list): empty value (values are separated by single commas)") }
            values += try expand(item, axis: name)
        }
        var seen: Set<String> = []
        for v in values where !seen.insert(v).inserted {
            throw SweepError("-p \(name)=\(list): the value '\(v)' is given twice")
        }
        return SweepAxis(name: name, values: values)
    }

    /// The cartesian product, first axis slowest, values in the order given.
    public static func points(_ axes: [SweepAxis]) throws(SweepError) -> [SweepPoint] {
        guard !axes.isEmpty else { throw SweepError("empty grid: give at least one -p name=values") }
        var names: Set<String> = []
        for a in axes where !names.insert(a.name).inserted {
            throw SweepError("-p \(a.name) is given twice; list its values in one -p \(a.name)=v1,v2")
        }
        let total = axes.reduce(1) { n, a in n > maxPoints ? n : n * a.values.count }
        guard total > 0 else { throw SweepError("empty grid") }
        guard total <= maxPoints else { throw SweepError("the grid has more than \(maxPoints) points") }
        var points: [SweepPoint] = []
        points.reserveCapacity(total)
        for index in 0..<total {
            var rest = index
            var params: [SweepPoint.Param] = []
            for axis in axes.reversed() {
                params.append(.init(name: axis.name, value: axis.values[rest % axis.values.count]))
                rest /= axis.values.count
            }
            params.reverse()
            points.append(SweepPoint(index: index, name: "", params: params))
        }
        // Folder names: `name-value` joined by `_`; a clash (two values that differ only
        // in characters a file name cannot hold) gets `~2`, `~3`, ... in grid order.
        var used: [String: Int] = [:]
        for i in points.indices {
            var base = points[i].params.map { "\($0.name)-\(folderSafe($0.value))" }.joined(separator: "_")
            if base.utf8.count > 200 { base = String(base.prefix(180)) + "~p\(i)" }
            let n = (used[base] ?? 0) + 1
            used[base] = n
            points[i].name = n == 1 ? base : "\(base)~\(n)"
        }
        return points
    }

    /// Letters, digits, `.`, `+`, `-` stay; anything else becomes `~`.
    static func folderSafe(_ value: String) -> String {
        String(value.unicodeScalars.map { ch -> Character in
            let ok = ch.isASCII && (CharacterSet.alphanumerics.contains(ch) || ch == "." || ch == "+" || ch == "-")
            return ok ? Character(ch) : "~"
        })
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    /// A literal value, or the values of a range `a..b[:step]` written with as many
    /// decimals as its widest bound or step (`0.1..0.3:0.1` is 0.1, 0.2, 0.3).
    static func expand(_ item: String, axis: String) throws(SweepError) -> [String] {
        guard let dots = item.range(of: ".."), dots.lowerBound != item.startIndex else { return [item] }
        let lowText = String(item[..<dots.lowerBound])
        let rest = item[dots.upperBound...]
        let highText: String, stepText: String
        if let colon = rest.firstIndex(of: ":") {
            highText = String(rest[..<colon]); stepText = String(rest[rest.index(after: colon)...])
        } else {
            highText = String(rest); stepText = "1"
        }
        guard let low = number(lowText), let high = number(highText), let step = number(stepText) else {
            // Not numbers on both sides: a literal that happens to contain "..".
            if number(lowText) == nil || number(highText) == nil { return [item] }
            throw SweepError("-p \(axis)=\(item): the step '\(stepText)' is not a number")
        }
        guard step > 0 else { throw SweepError("-p \(axis)=\(item): the step must be positive") }
        guard low <= high else { throw SweepError("-p \(axis)=\(item): the range is empty (\(lowText) > \(highText))") }
        let count = Int(((high - low) / step + 1e-9).rounded(.down)) + 1
        guard count <= maxPoints else { throw SweepError("-p \(axis)=\(item): more than \(maxPoints) values") }
        let decimals = [lowText, highText, stepText].map(decimalPlaces).max() ?? 0
        return (0..<count).map { i in format(low + Double(i) * step, decimals: decimals) }
    }

    static func number(_ s: String) -> Double? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) else { return nil }
        return Double(s).flatMap { $0.isFinite ? $0 : nil }
    }

    static func decimalPlaces(_ s: String) -> Int {
        guard let dot = s.firstIndex(of: ".") else { return 0 }
        return s.distance(from: s.index(after: dot), to: s.endIndex)
    }

    static func format(_ x: Double, decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", x)
        return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
    }
}
