# needs: gevent
# Greenlet switches: two greenlets pass control back and forth with switch() (the raw
# greenlet API under gevent), 2 * N switches. The same file runs under python3 + gevent:
#   python3 bench/run.py greenlet_switch --gevent-python /path/to/venv/bin/python
from greenlet import greenlet, getcurrent

N = 1000000
main = getcurrent()


def pong():
    while True:
        ping.switch()


def pinger():
    for i in range(N):
        pong_g.switch()
    main.switch(i + 1)


ping = greenlet(pinger)
pong_g = greenlet(pong, parent=ping)
print(ping.switch() * 2, "switches")
