package io.statefulroute.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Reuses the application's Lettuce client when Spring Data Redis configured one. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(LettuceConnectionFactory.class)
@ConditionalOnBean(LettuceConnectionFactory.class)
class SpringDataRedisConfiguration {
  @Bean
  SpringDataLettuce statefulRouteSpringDataLettuce(LettuceConnectionFactory factory) {
    // the factory creates its client when started (at once by default: early start-up)
    return factory::getNativeClient;
  }
}
