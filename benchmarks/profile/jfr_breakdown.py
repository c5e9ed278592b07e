#!/usr/bin/env python3
"""Where the CPU samples of a JFR recording go, by thread and by part of the call path.

Usage: jfr print --events jdk.ExecutionSample --stack-depth 96 profile.jfr > samples.txt
       python3 benchmarks/profile/jfr_breakdown.py samples.txt

Each sample (only threads of the measured path: the JMH worker, Lettuce's and Netty's event
loops, the executor's flush thread) is put in the first category, walking from the top frame
down, whose rule matches a frame; so a frame of Netty's socket write called from the flusher
counts as socket I/O, and Reactor code that calls into Lettuce's encoder counts as encoding.
JDK frames and Netty's generic ones (buffers, the loop itself) count for the first caller below
them that a rule names; only stacks with none are counted as JDK or Netty.
"""
import re
import sys
from collections import Counter

# (category, regex on 'class.method'), the first matching frame from the top wins
RULES = [
    ("socket I/O (epoll, write/read syscalls)",
     r"^(io\.netty\.channel\.epoll\.Native|io\.netty\.channel\.epoll\.LinuxSocket|"
     r"io\.netty\.channel\.unix\.|sun\.nio\.ch\.|io\.netty\.channel\.nio\.NioEventLoop\.select|"
     r"io\.netty\.channel\.epoll\.EpollEventLoop\.epoll)"),
    ("reply decoding (Lettuce RESP, outputs, Replies)",
     r"^(io\.lettuce\.core\.protocol\.RedisStateMachine|io\.lettuce\.core\.output\.|io\.lettuce\.core\.codec\.StringCodec\.decode|"
     r"io\.lettuce\.core\.protocol\.CommandHandler\.(decode|channelRead|canDecode)|"
     r"io\.statefulroute\.redis\.internal\.Replies|io\.statefulroute\.redis\.internal\.IndexedValues)"),
    ("argument encoding (CommandArgs, codec, RESP encoder)",
     r"^(io\.lettuce\.core\.protocol\.CommandArgs|io\.lettuce\.core\.codec\.|"
     r"io\.lettuce\.core\.protocol\.CommandEncoder|io\.lettuce\.core\.protocol\.Command\.encode|"
     r"io\.netty\.buffer\.ByteBufUtil\.(writeUtf8|utf8))"),
    ("key building and escaping (KeySchema)",
     r"^io\.statefulroute\.core\.spi\.KeySchema"),
    ("argument checks (Args)", r"^io\.statefulroute\.core\.spi\.Args"),
    ("the flusher (CommandFlusher, flushCommands, endpoint writes)",
     r"^(io\.statefulroute\.redis\.internal\.CommandFlusher|"
     r"io\.lettuce\.core\.protocol\.DefaultEndpoint|io\.lettuce\.core\.RedisChannelHandler|"
     r"io\.lettuce\.core\.protocol\.SharedLock|io\.netty\.channel\.AbstractChannelHandlerContext|"
     r"io\.netty\.channel\.DefaultChannelPipeline|io\.netty\.channel\.AbstractChannel)"),
    ("Lettuce command objects and reactive publisher",
     r"^(io\.lettuce\.core\.RedisPublisher|io\.lettuce\.core\.AbstractRedisReactiveCommands|"
     r"io\.lettuce\.core\.protocol\.(Command|AsyncCommand|CommandWrapper)|io\.lettuce\.core\.RedisCommandBuilder|"
     r"io\.lettuce\.core\.protocol\.CommandExpiryWriter|io\.lettuce\.core\.internal\.)"),
    ("timeouts (Reactor timeout, wheel timer)",
     r"^(reactor\.core\.publisher\.(FluxTimeout|MonoTimeout)|io\.netty\.util\.HashedWheelTimer|"
     r"io\.statefulroute\.redis\.internal\.WheelTimerScheduler)"),
    ("Reactor operators", r"^reactor\."),
    ("benchmark harness (closed loop, JMH)",
     r"^(io\.statefulroute\.benchmarks\.|org\.openjdk\.jmh\.|java\.util\.concurrent\.Semaphore|"
     r"java\.util\.concurrent\.locks\.)"),
    ("the executor's own call path (LinkCommands, BoundedCommands, ErrorTranslator)",
     r"^io\.statefulroute\.redis\."),
    ("Netty event loop (tasks, buffers)", r"^io\.netty\."),
    ("JDK (allocation, strings, maps)", r"^(java\.|jdk\.|sun\.)"),
]
PATH_THREADS = re.compile(r"jmh-worker|lettuce-|nioEventLoop|epollEventLoop|EventExecutor")

def samples(path):
    thread, frames = None, []
    for line in open(path):
        line = line.strip()
        if line.startswith("sampledThread"):
            thread = line.split('"')[1]
        elif line.startswith("stackTrace"):
            frames = []
        elif line == "]" and thread is not None:
            yield thread, frames
            thread = None
        elif thread is not None and "(" in line and not line.startswith("state"):
            frames.append(line.split("(")[0])

GENERIC = {"Netty event loop (tasks, buffers)", "JDK (allocation, strings, maps)"}

def categorise(frames):
    # a JDK or generic Netty frame (a HashMap, a ByteBuf, an allocation) counts for the first
    # caller of the path above it; only a stack with no such caller is counted as generic
    for passes in (False, True):
        for frame in frames:
            for name, rule in RULES:
                if (name in GENERIC) == passes and re.search(rule, frame):
                    return name
    return "other"

def main(path):
    by_thread, by_cat, per_thread_cat = Counter(), Counter(), Counter()
    total = 0
    for thread, frames in samples(path):
        if not PATH_THREADS.search(thread):
            continue
        t = re.sub(r"-\d+$", "", thread.split("ExecutorThroughput.")[-1])
        c = categorise(frames)
        by_thread[t] += 1
        by_cat[c] += 1
        per_thread_cat[(t, c)] += 1
        total += 1
    print(f"{total} samples on the measured path's threads")
    print("\nby thread:")
    for t, n in by_thread.most_common():
        print(f"  {100.0 * n / total:5.1f} %  {t}")
    print("\nby part of the path:")
    for c, n in by_cat.most_common():
        print(f"  {100.0 * n / total:5.1f} %  {c}")
    print("\nby thread and part (>= 1 %):")
    for (t, c), n in per_thread_cat.most_common():
        if n * 100 >= total:
            print(f"  {100.0 * n / total:5.1f} %  {t}: {c}")

if __name__ == "__main__":
    main(sys.argv[1])
