package io.statefulroute.examples.game;

import io.statefulroute.core.server.ServerDriver;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /play/{uid}}: one move of the user's game, answered by this pod. */
@RestController
class GameController {
  private final Sessions sessions;
  private final ServerDriver server;

  GameController(Sessions sessions, ServerDriver server) {
    this.sessions = sessions;
    this.server = server;
    sessions.attach(server);
  }

  @GetMapping("/play/{uid}")
  Mono<String> play(@PathVariable String uid) {
    return Mono.fromSupplier(
        () -> {
          Sessions.Session s = sessions.serve(uid);
          return "pod=" + server.options().pod() + " uid=" + uid + " requests=" + s.requests();
        });
  }
}
