package io.statefulroute.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.statefulroute.core.StatefulExecutor.Operation;
import io.statefulroute.core.memory.InMemoryStatefulExecutor;
import io.statefulroute.test.FaultyExecutor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Every {@link StatefulExecutor} method, found by reflection (so that a new one cannot be
 * forgotten), is forwarded by {@link ForwardingStatefulExecutor} and passes its hook exactly once
 * with its {@link Operation}.
 */
class ForwardingStatefulExecutorTest {
  /** What the delegate was called with. */
  private record Invocation(Method method, List<Object> args, Object result) {}

  /** What the hook was passed. */
  private record Hooked(
      Operation operation, String ns, String service, String uid, Object call, Object result) {}

  private final List<Invocation> invocations = new ArrayList<>();
  private final List<Hooked> hooked = new ArrayList<>();
  private final StatefulExecutor delegate = recording();
  private final StatefulExecutor forwarding =
      new ForwardingStatefulExecutor(delegate) {
        @Override
        protected <T> Mono<T> around(
            Operation operation, String ns, String service, String uid, Mono<T> call) {
          Mono<T> result = call.hide();
          hooked.add(new Hooked(operation, ns, service, uid, call, result));
          return result;
        }

        @Override
        protected <T> Flux<T> around(
            Operation operation, String ns, String service, String uid, Flux<T> call) {
          Flux<T> result = call.hide();
          hooked.add(new Hooked(operation, ns, service, uid, call, result));
          return result;
        }
      };

  /** A delegate that records each call and answers a reply of its own. */
  private StatefulExecutor recording() {
    return (StatefulExecutor)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {StatefulExecutor.class},
            (proxy, method, args) -> {
              Object result;
              if (method.getReturnType() == Mono.class) {
                result = Mono.fromCallable(() -> null);
              } else if (method.getReturnType() == Flux.class) {
                result = Flux.defer(Flux::empty);
              } else if (method.getReturnType() == long.class) {
                result = 7L;
              } else if (method.getReturnType() == void.class) {
                result = null;
              } else {
                throw new AssertionError("unexpected method " + method);
              }
              invocations.add(
                  new Invocation(method, args == null ? List.of() : Arrays.asList(args), result));
              return result;
            });
  }

  private static List<Method> executorMethods() {
    return Arrays.stream(StatefulExecutor.class.getMethods())
        .filter(m -> !m.isDefault() && !Modifier.isStatic(m.getModifiers()))
        .collect(Collectors.toList());
  }

  private static boolean isCall(Method m) {
    return (m.getReturnType() == Mono.class || m.getReturnType() == Flux.class)
        && !m.getName().equals("linkEvents");
  }

  /** Valid arguments, every string a different one (the namespace first). */
  private static Object[] arguments(Method m) {
    Object[] args = new Object[m.getParameterCount()];
    Class<?>[] types = m.getParameterTypes();
    for (int i = 0; i < args.length; i++) {
      Class<?> t = types[i];
      if (t == String.class) {
        args[i] = "s" + i;
      } else if (t == int.class) {
        args[i] = 1;
      } else if (t == long.class) {
        args[i] = StatefulExecutor.PERSISTENT;
      } else if (t == boolean.class) {
        args[i] = true;
      } else if (t == Duration.class) {
        args[i] = Duration.ZERO;
      } else if (t == Collection.class) {
        args[i] = List.of("u1", "u2");
      } else if (t == PodStatus.class) {
        args[i] = new PodStatus(1, 0, RoutingState.READY, "i1");
      } else {
        throw new AssertionError("no test value for " + t + " of " + m);
      }
    }
    return args;
  }

  @Test
  void everyMethod_isDeclaredByTheForwardingBase() throws Exception {
    for (Method m : executorMethods()) {
      Method declared =
          ForwardingStatefulExecutor.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      assertThat(Modifier.isAbstract(declared.getModifiers())).as("%s", m).isFalse();
    }
  }

  @Test
  void everyCall_isForwardedOnce_andPassesTheHookOnceWithItsOperation() throws Exception {
    Set<Operation> seen = new HashSet<>();
    for (Method m : executorMethods()) {
      if (!isCall(m)) {
        continue;
      }
      invocations.clear();
      hooked.clear();
      Object[] args = arguments(m);
      Object returned = m.invoke(forwarding, args);

      assertThat(invocations).as("delegate calls of %s", m.getName()).hasSize(1);
      Invocation forwarded = invocations.get(0);
      assertThat(forwarded.method().getName()).isEqualTo(m.getName());
      assertThat(forwarded.args()).containsExactly(args);

      assertThat(hooked).as("hook passes of %s", m.getName()).hasSize(1);
      Hooked hook = hooked.get(0);
      assertThat(hook.operation().methodName()).isEqualTo(m.getName());
      assertThat(hook.call()).as("the delegate's reply").isSameAs(forwarded.result());
      assertThat(returned).as("the hook's reply").isSameAs(hook.result());
      assertThat(hook.ns()).isEqualTo(args[0]);
      List<Object> strings = Arrays.stream(args).filter(String.class::isInstance).toList();
      for (String named : Arrays.asList(hook.service(), hook.uid())) {
        if (named != null) {
          assertThat(strings).contains(named);
          assertThat(named).isNotEqualTo(hook.ns());
        }
      }
      assertThat(seen.add(hook.operation())).as("operation of two methods").isTrue();
    }
    assertThat(seen)
        .as("operations without a method")
        .containsExactlyInAnyOrder(Operation.values());
  }

  @Test
  void hook_getsTheNamesItTagsBy() {
    forwarding.setLink("ns", "alice", "game", 1, StatefulExecutor.PERSISTENT);
    forwarding.getLinkIndex("ns", "alice");
    forwarding.batchGetLinks("ns", List.of("alice"), "game");
    forwarding.batchGetWorkloadStates("ns", List.of("game"));
    forwarding.listPersistentLinks("ns", "game", 1);
    assertThat(hooked)
        .extracting(Hooked::operation, Hooked::ns, Hooked::service, Hooked::uid)
        .containsExactly(
            tuple(Operation.SET_LINK, "ns", "game", "alice"),
            tuple(Operation.GET_LINK_INDEX, "ns", null, "alice"),
            tuple(Operation.BATCH_GET_LINKS, "ns", "game", null),
            tuple(Operation.BATCH_GET_WORKLOAD_STATES, "ns", null, null),
            tuple(Operation.LIST_PERSISTENT_LINKS, "ns", "game", null));
  }

  @Test
  void linkEventsCountersAndClose_areForwarded_withoutTheHook() {
    Flux<LinkEvent> events = forwarding.linkEvents("ns");
    long skipped = forwarding.corruptValuesSkipped();
    forwarding.close();
    assertThat(invocations)
        .extracting(i -> i.method().getName())
        .containsExactly("linkEvents", "corruptValuesSkipped", "close");
    assertThat(events).isSameAs(invocations.get(0).result());
    assertThat(skipped).isEqualTo(7L);
    assertThat(hooked).isEmpty();
  }

  @Test
  void badArguments_throwAtCallTime_beforeTheHook() {
    List<Operation> passed = new ArrayList<>();
    StatefulExecutor checked =
        new ForwardingStatefulExecutor(InMemoryStatefulExecutor.create()) {
          @Override
          protected <T> Mono<T> around(
              Operation operation, String ns, String service, String uid, Mono<T> call) {
            passed.add(operation);
            return call;
          }
        };
    assertThatThrownBy(() -> checked.getLink("", "alice", "game"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> checked.setLink("ns", "alice", "game", -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> checked.listPersistentLinks("ns", "", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(passed).isEmpty();
    StepVerifier.create(checked.setLink("ns", "alice", "game", 2, 10)).verifyComplete();
    StepVerifier.create(checked.getLink("ns", "alice", "game")).expectNext(2).verifyComplete();
    assertThat(passed).containsExactly(Operation.SET_LINK, Operation.GET_LINK);
    checked.close();
  }

  /**
   * The example of docs/configuration.md (Decorating the executor): reads that failed on an
   * unreachable store are tried again.
   */
  static final class RetryingReads extends ForwardingStatefulExecutor {
    RetryingReads(StatefulExecutor delegate) {
      super(delegate);
    }

    @Override
    protected <T> Mono<T> around(
        Operation operation, String ns, String service, String uid, Mono<T> call) {
      return operation.readOnly()
          ? call.retryWhen(Retry.max(2).filter(StoreUnavailableException.class::isInstance))
          : call;
    }
  }

  @Test
  void retryingReads_retryAFailedRead_notAFailedWrite() {
    FaultyExecutor store = new FaultyExecutor(InMemoryStatefulExecutor.create());
    try (StatefulExecutor executor = new RetryingReads(store)) {
      store.failNext(1);
      StepVerifier.create(executor.setLink("ns", "alice", "game", 2, 10))
          .verifyError(StoreUnavailableException.class);
      StepVerifier.create(executor.setLink("ns", "alice", "game", 2, 10)).verifyComplete();
      store.failNext(2);
      StepVerifier.create(executor.getLink("ns", "alice", "game")).expectNext(2).verifyComplete();
      assertThat(store.calls("getLink")).isEqualTo(3);
    }
  }

  @Test
  void operation_tagsAndMethodNames() {
    assertThat(Operation.SET_LINK_IF_ABSENT.tag()).isEqualTo("set_link_if_absent");
    assertThat(Operation.SET_LINK_IF_ABSENT_LEASE.methodName()).isEqualTo("setLinkIfAbsentLease");
    assertThat(Operation.BATCH_GET_WORKLOAD_STATES.methodName())
        .isEqualTo("batchGetWorkloadStates");
    assertThat(Operation.GET_LINK.readOnly()).isTrue();
    assertThat(Operation.SET_LINK_IF_ABSENT.readOnly()).isFalse();
  }
}
