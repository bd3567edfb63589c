from functools import reduce
xs = list(range(1000000))
print(reduce(lambda a, b: a + b, filter(lambda x: x % 3 == 0, map(lambda x: x * 2, xs)), 0))
