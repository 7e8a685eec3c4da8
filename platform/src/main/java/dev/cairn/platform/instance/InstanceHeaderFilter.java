package dev.cairn.platform.instance;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/** Puts {@value #HEADER} on every response, errors included, before anything is written. */
public class InstanceHeaderFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Cairn-Instance";

    private final InstanceIdentity identity;

    public InstanceHeaderFilter(InstanceIdentity identity) {
        this.identity = identity;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HEADER, identity.id());
        chain.doFilter(request, response);
    }
}
