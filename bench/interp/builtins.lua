-- Built-in calls in a loop, as notebook code calls floor, abs, log: 600,000 calls.
local s = 0
for k = 0, 299999 do s = s + math.floor(k / 3) + math.abs(k) end
print(s)
