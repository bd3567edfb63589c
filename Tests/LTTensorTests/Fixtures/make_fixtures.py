"""Generates the NumPy reference fixtures for LTTensorTests.

Run from this folder with numpy >= 2:  python3 make_fixtures.py
Each case is a small .npy file; inputs are drawn from a fixed seed so the
files are reproducible. The Swift tests read only the .npy files.
"""
import numpy as np
import os
import zipfile

rng = np.random.default_rng(20260101)
out = os.path.dirname(os.path.abspath(__file__))


def save(name, arr):
    np.save(os.path.join(out, name + ".npy"), arr)


# inputs
a = rng.standard_normal((3, 4)).astype(np.float32)
b = rng.standard_normal((4,)).astype(np.float32)
c = rng.standard_normal((3, 1)).astype(np.float32)
pos = (rng.random((3, 4)) + 0.1).astype(np.float32)
m = rng.standard_normal((5, 7)).astype(np.float32)
n = rng.standard_normal((7, 6)).astype(np.float32)
bat = rng.standard_normal((2, 5, 7)).astype(np.float32)
logits = (rng.standard_normal((6, 10)) * 4).astype(np.float32)
ints = rng.integers(-5, 6, size=(4, 5)).astype(np.int32)
labels = rng.integers(0, 7, size=(20,)).astype(np.int32)
dup = np.array([3, 1, 2, 3, 1, 0, 2, 2, 5, 1], dtype=np.float32)
for k, v in dict(a=a, b=b, c=c, pos=pos, m=m, n=n, bat=bat, logits=logits,
                 ints=ints, labels=labels, dup=dup).items():
    save("in_" + k, v)

# elementwise and broadcasting
save("add_ab", a + b)
save("sub_ac", a - c)
save("mul_ab", a * b)
save("div_ac", a / c)
save("mod_ab", np.mod(a, b))
save("pow_pos", np.power(pos, np.float32(1.7)))
save("lt_ab", a < b)
save("ge_ac", a >= c)
save("mod_ints", np.mod(ints, np.int32(3)))
save("exp_a", np.exp(a))
save("log_pos", np.log(pos))
save("sqrt_pos", np.sqrt(pos))
save("abs_a", np.abs(a))
save("sigmoid_a", (1 / (1 + np.exp(-a))).astype(np.float32))
save("tanh_a", np.tanh(a))
save("clip_a", np.clip(a, -0.5, 0.5))
# reductions
save("sum_a0", a.sum(axis=0))
save("sum_a1k", a.sum(axis=1, keepdims=True))
save("mean_bat1", bat.mean(axis=1))
save("std_a1", a.std(axis=1))
save("var_a0", a.var(axis=0))
save("max_bat2", bat.max(axis=-1))
save("min_a0", a.min(axis=0))
save("argmax_logits", logits.argmax(axis=1).astype(np.int32))
save("argmin_a0", a.argmin(axis=0).astype(np.int32))
save("scalars_a", np.array([a.sum(), a.mean(), a.std(), a.var(), a.min(), a.max()], dtype=np.float64))
# softmax
def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
save("softmax_logits", softmax(logits, 1).astype(np.float32))
save("softmax_logits0", softmax(logits, 0).astype(np.float32))
save("logsoftmax_logits", (logits - logits.max(1, keepdims=True) - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True))).astype(np.float32))
# matmul
save("matmul_mn", m @ n)
save("matmul_batn", bat @ n)
save("matmul_vec", m @ n[:, 0])
save("matmul_vecmat", m[0] @ n)
# sort family
save("argsort_dup", np.argsort(dup, kind="stable").astype(np.int32))
save("argsort_dup_desc", np.argsort(-dup, kind="stable").astype(np.int32))
save("sort_a0", np.sort(a, axis=0))
save("argsort_logits", np.argsort(logits, axis=1, kind="stable").astype(np.int32))
save("unique_dup", np.unique(dup))
save("cumsum_a1", np.cumsum(a, axis=1))
save("cumsum_ints", np.cumsum(ints).astype(np.int32))
save("norm_a1", np.linalg.norm(a, axis=1))
save("normalize_a", (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32))
save("bincount_labels", np.bincount(labels, minlength=9).astype(np.int32))
save("onehot_labels", np.eye(7, dtype=np.float32)[labels])
# indexing
save("idx_slice", a[1:, ::2])
save("idx_neg_step", m[::-2, 5:1:-1])
save("idx_int_slice", bat[1, :, 2:5])
save("idx_gather", m[np.array([4, 0, -1])])
save("idx_gather_axis1", m[:, np.array([1, 1, 6])])
save("idx_mask", a[a > 0])
save("idx_rowmask", m[np.array([True, False, True, False, True])])
# advanced indexing: several index arrays broadcast together; an integer next to an
# array counts as a 0-d array; the broadcast shape goes first unless the indices are
# adjacent (NumPy's rules)
save("idx_two_arrays", bat[np.array([1, 0, 1]), :, np.array([6, 0, 3])])
save("idx_adjacent_arrays", bat[:, np.array([[4], [0]]), np.array([6, 2, 1])])
save("idx_int_then_array", bat[1, :, np.array([0, 6, 2])])
save("idx_int_next_to_array", bat[:, 1, np.array([0, 6])])
save("idx_mask_and_array", m[np.array([True, False, True, False, True]), np.array([0, 6, 2])])
save("idx_2d_mask_and_int", bat[np.array([[True, False, True, False, True], [False, True, False, False, True]]), 3])
save("idx_arrays_newaxis", bat[np.array([1, 0]), None, np.array([3, 0])])
save("idx_neg_arrays_slice", bat[np.array([-1, 0]), 4:0:-2, np.array([[-1], [2]])])
save("where_ab", np.where(a > 0, a, b))
save("concat_1", np.concatenate([a, pos], axis=1))
save("stack_1", np.stack([a, pos], axis=1))
save("linspace", np.linspace(0, 1, 7, dtype=np.float32))
save("arange", np.arange(2, 11, 3, dtype=np.float32))
save("transpose_bat", np.ascontiguousarray(bat.transpose(2, 0, 1)))

# file-format cases
np.save(os.path.join(out, "fmt_f8_fortran.npy"), np.asfortranarray(rng.standard_normal((3, 5))))
save("fmt_f2", np.array([[0.5, -2.0, 65504.0], [1e-7, 0.0, -0.0]], dtype=np.float16))
save("fmt_be_f4", np.arange(6, dtype=">f4").reshape(2, 3))
save("fmt_i8", np.array([1, -2, 3000000], dtype=np.int64))
save("fmt_u1", np.array([0, 255, 7], dtype=np.uint8))
save("fmt_b1", np.array([True, False, True]))
save("fmt_c8", np.array([1 + 2j], dtype=np.complex64))
np.savez(os.path.join(out, "stored.npz"), x=a, labels=labels)
np.savez_compressed(os.path.join(out, "deflated.npz"), x=a, labels=labels)

# safetensors written by hand (the format is an 8-byte header length + JSON + data)
def safetensors(path, tensors):
    import json, struct
    header, blobs, offset = {}, [], 0
    for name, (dt, arr) in tensors.items():
        data = arr.tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"source": "make_fixtures.py"}
    h = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

safetensors(os.path.join(out, "model.safetensors"), {
    "w": ("F32", a), "h": ("F16", a.astype(np.float16)), "d": ("F64", a.astype(np.float64)),
    "i": ("I64", labels.astype(np.int64)), "j": ("I32", labels), "mask": ("BOOL", a > 0),
})

with open(os.path.join(out, "table.csv"), "w") as f:
    f.write('name,x,y,label\n"a, quoted",1.5,2,cat\nb,,3.25,dog\nc,-1,4e2,cat\n')
with open(os.path.join(out, "ragged.csv"), "w") as f:
    f.write("x,y\n1,2\n3\n")
print("fixtures written to", out)
