# Built-in calls in a loop, as notebook code calls floor, abs, log: 600,000 calls.
import math
s = 0
for k in range(300000):
    s += math.floor(k / 3) + abs(k)
print(s)
