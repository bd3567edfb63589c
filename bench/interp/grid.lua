-- Notebook-style: the paper notebook's 3 x 3 grid helper, over K = 1000 classes, repeated.
-- Reads array elements and record fields in nested loops.
local K = 1000
local groups = {"many", "medium", "few"}
local acc, info = {}, {}
for k = 0, K - 1 do
  acc[k + 1] = ((k * 7919) % 1000) / 1024
  info[k + 1] = {p = groups[k % 3 + 1], d = groups[(k // 3) % 3 + 1]}
end
local function grid()
  local g = {}
  for i, p in ipairs(groups) do
    local row = {}
    for j, d in ipairs(groups) do
      local s, n = 0, 0
      for k = 1, K do
        local c = info[k]
        if c.p == p and c.d == d then s = s + acc[k]; n = n + 1 end
      end
      row[j] = 100 * s / n
    end
    g[i] = row
  end
  return g
end
local total = 0
for r = 1, 100 do
  local g = grid()
  for _, row in ipairs(g) do for _, v in ipairs(row) do total = total + v end end
end
print(string.format("%.6f", total))
