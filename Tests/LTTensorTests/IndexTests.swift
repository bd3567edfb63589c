import Testing

@testable import LTTensor

@Suite struct IndexTests {
  @Test func slicesWithStepsMatchNumPy() throws {
    let a = try fixture("in_a"), m = try fixture("in_m"), bat = try fixture("in_bat")
    expectClose(try a[.slice(1, nil, nil), .slice(nil, nil, 2)], try fixture("idx_slice"))
    expectClose(try m[.slice(nil, nil, -2), .slice(5, 1, -1)], try fixture("idx_neg_step"))
    expectClose(try bat[.index(1), .all, .slice(2, 5, nil)], try fixture("idx_int_slice"))
  }

  @Test func integerAndMaskIndicesMatchNumPy() throws {
    let a = try fixture("in_a"), m = try fixture("in_m")
    expectClose(try m[.tensor(Tensor(int32s: [4, 0, -1], shape: [3]))], try fixture("idx_gather"))
    expectClose(try m[.all, .tensor(Tensor([1, 1, 6], shape: [3]))], try fixture("idx_gather_axis1"))
    expectClose(try a[.tensor(a.compare(.gt, 0))], try fixture("idx_mask"))
    let rows = try Tensor(bools: [true, false, true, false, true], shape: [5])
    expectClose(try m[.tensor(rows)], try fixture("idx_rowmask"))
  }

  @Test func severalIndexTensorsFollowNumPysAdvancedIndexing() throws {
    let m = try fixture("in_m"), bat = try fixture("in_bat")
    func ints(_ v: [Int32], _ shape: [Int]? = nil) throws -> IndexItem { .tensor(try Tensor(int32s: v, shape: shape ?? [v.count])) }
    expectClose(try bat[ints([1, 0, 1]), .all, ints([6, 0, 3])], try fixture("idx_two_arrays"))
    expectClose(try bat[.all, ints([4, 0], [2, 1]), ints([6, 2, 1])], try fixture("idx_adjacent_arrays"))
    // An integer beside a tensor index is a 0-d index tensor: B goes first here...
    expectClose(try bat[.index(1), .all, ints([0, 6, 2])], try fixture("idx_int_then_array"))
    #expect(try bat[.index(1), .all, ints([0, 6, 2])].shape == [3, 5])
    // ...and in place when they are adjacent.
    expectClose(try bat[.all, .index(1), ints([0, 6])], try fixture("idx_int_next_to_array"))
    let rows = try Tensor(bools: [true, false, true, false, true], shape: [5])
    expectClose(try m[.tensor(rows), ints([0, 6, 2])], try fixture("idx_mask_and_array"))
    let mask = try Tensor(bools: [true, false, true, false, true, false, true, false, false, true], shape: [2, 5])
    expectClose(try bat[.tensor(mask), .index(3)], try fixture("idx_2d_mask_and_int"))
    expectClose(try bat[ints([1, 0]), .newAxis, ints([3, 0])], try fixture("idx_arrays_newaxis"))
    expectClose(try bat[ints([-1, 0]), .slice(4, 0, -2), ints([-1, 2], [2, 1])], try fixture("idx_neg_arrays_slice"))
    // Errors: shapes that do not broadcast, out of range, a mask of the wrong shape.
    expectError("index tensors of shapes (3,) (2,) cannot be broadcast together") {
      _ = try bat[ints([1, 0, 1]), ints([0, 1])]
    }
    expectError("index 5 is out of range for axis 1 with length 5") { _ = try bat[.index(0), ints([5])] }
    expectError("index 2 is out of range for axis 0 with length 2") { _ = try bat[.index(2), ints([0])] }
    expectError("does not match shape (5,) at axis 1") { _ = try bat[ints([0]), .tensor(Tensor(bools: [true], shape: [1]))] }
    expectError("too many indices") { _ = try m[ints([0]), ints([0]), .index(0)] }
  }

  @Test func indexingDownToOneElementAndNewAxis() throws {
    let t = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(try t[.index(-1), .index(-1)].item() == 6)
    #expect(try t[.newAxis, .all].shape == [1, 2, 3])
    #expect(try t[.slice(5, nil, nil)].shape == [0, 3])
    #expect(try t[.slice(nil, nil, -1)].toDoubles() == [4, 5, 6, 1, 2, 3])
  }

  @Test func outOfRangeIsAnErrorNamingIndexAndLength() throws {
    let t = try Tensor.zeros([5, 2])
    expectError("index 7 is out of range for axis 0 with length 5") { _ = try t[.index(7)] }
    expectError("index -6 is out of range for axis 0 with length 5") { _ = try t[.index(-6)] }
    expectError("index 2 is out of range for axis 1 with length 2") { _ = try t[.all, .index(2)] }
    expectError("index 9 is out of range for axis 0 with length 5") {
      _ = try t[.tensor(Tensor(int32s: [1, 9], shape: [2]))]
    }
    expectError("too many indices") { _ = try t[.index(0), .index(0), .index(0)] }
    expectError("slice step cannot be zero") { _ = try t[.slice(nil, nil, 0)] }
    expectError("does not match") { _ = try t[.tensor(Tensor(bools: [true, false], shape: [2]))] }
  }

  @Test func takeWhereConcatStack() throws {
    let a = try fixture("in_a"), b = try fixture("in_b"), pos = try fixture("in_pos")
    expectClose(try Tensor.where(a.compare(.gt, 0), a, b), try fixture("where_ab"))
    expectClose(try Tensor.concat([a, pos], axis: 1), try fixture("concat_1"))
    expectClose(try Tensor.stack([a, pos], axis: 1), try fixture("stack_1"))
    expectClose(try a.take(Tensor(int32s: [0, 11], shape: [2])), try Tensor([a.toDoubles()[0], a.toDoubles()[11]], shape: [2]))
    expectError("expected 2 dimensions") { _ = try Tensor.concat([a, b], axis: 0) }
    expectError("expected (3, 4)") { _ = try Tensor.stack([a, b]) }
  }

  @Test func shapeOpsAndCreation() throws {
    let bat = try fixture("in_bat")
    expectClose(try bat.transpose([2, 0, 1]), try fixture("transpose_bat"))
    expectClose(try Tensor.linspace(0, 1, 7), try fixture("linspace"))
    expectClose(try Tensor.arange(2, 11, step: 3), try fixture("arange"))
    #expect(try bat.reshape([-1, 7]).shape == [10, 7])
    expectError("cannot reshape tensor of shape (2, 5, 7) into shape (3, -1)") { _ = try bat.reshape([3, -1]) }
    #expect(try Tensor.eye(2, 3).toDoubles() == [1, 0, 0, 0, 1, 0])
    #expect(try Tensor.full([2], 7, dtype: .int32).toDoubles() == [7, 7])
    #expect(try Tensor.ones([2, 2]).sum() == 4)
    #expect(bat.T.shape == [7, 5, 2])
    #expect(try bat.reshape([10, 7]).T.reshape([-1]).shape == [70])
    #expect(try Tensor(nested: .list([.list([.number(1), .number(2)]), .list([.number(3), .number(4)])])).shape == [2, 2])
    expectError("ragged nested list") {
      _ = try Tensor(nested: .list([.list([.number(1), .number(2)]), .list([.number(3)])]))
    }
    #expect(try Tensor([1, 2, 3, 4], shape: [2, 2]).toNested() == .list([.list([.number(1), .number(2)]), .list([.number(3), .number(4)])]))
    #expect(try Tensor([1.9, -1.9, .nan], shape: [3]).astype(.int32).toInt32s() == [1, -1, Int32.min])
  }
}

@Suite struct SliceEdgeTests {
  @Test func extremeSliceBoundsAndStepsFollowPython() throws {
    let t = try Tensor.arange(5)
    #expect(try t[.slice(Int.min, Int.max, nil)].toDoubles() == [0, 1, 2, 3, 4])
    #expect(try t[.slice(nil, nil, Int.max)].toDoubles() == [0])
    #expect(try t[.slice(nil, nil, Int.min)].toDoubles() == [4])
    #expect(try t[.slice(nil, nil, -Int.max)].toDoubles() == [4])
    #expect(try t[.slice(3, 0, -1)].toDoubles() == [3, 2, 1])
    #expect(try t[.slice(-2, nil, nil)].toDoubles() == [3, 4])
    #expect(try t[.slice(1, 4, 2)].toDoubles() == [1, 3])
    #expect(try t[.slice(4, nil, -3)].toDoubles() == [4, 1])
    expectError("negative dimension") { _ = try Tensor([1], shape: [1]).broadcast(to: [-1]) }
  }
}
