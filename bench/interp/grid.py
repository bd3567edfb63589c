# Notebook-style: the paper notebook's 3 x 3 grid helper, over K = 1000 classes, repeated.
# Reads list elements and dict fields in nested loops (what a user writes without NumPy).
K = 1000
groups = ["many", "medium", "few"]
acc = [((k * 7919) % 1000) / 1024 for k in range(K)]
info = [{"p": groups[k % 3], "d": groups[(k // 3) % 3]} for k in range(K)]


def grid():
    def cell(p, d):
        s = 0
        n = 0
        for k in range(K):
            c = info[k]
            if c["p"] == p and c["d"] == d:
                s += acc[k]
                n += 1
        return 100 * s / n
    return [[cell(p, d) for d in groups] for p in groups]


total = 0
for r in range(100):
    g = grid()
    for row in g:
        for v in row:
            total += v
print(f"{total:.6f}")
