# needs: gevent
# gevent.sleep(0) round trips through the hub: 1000 greenlets x 200 sleeps.
import gevent


def f(n):
    for i in range(n):
        gevent.sleep(0)
    return n


gs = [gevent.spawn(f, 200) for i in range(1000)]
gevent.joinall(gs)
print(sum(g.value for g in gs))
