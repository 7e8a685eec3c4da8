package dev.cairn.tenant.organization;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.tenant.user.Passwords;
import dev.cairn.platform.web.Page;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tenants")
class OrganizationController {

    record BootstrapRequest(@NotBlank @Size(max = 200) String organizationName, @NotBlank @Email @Size(max = 320) String adminEmail,
            @NotBlank @Size(min = Passwords.MIN_LENGTH, max = Passwords.MAX_LENGTH) String adminPassword,
            @NotBlank @Size(max = 200) String adminName) {
        @Override
        public String toString() {
            return "BootstrapRequest[organizationName=" + organizationName + "]";
        }
    }

    record CreateOrganizationRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Email @Size(max = 320) String adminEmail,
            @NotBlank @Size(min = Passwords.MIN_LENGTH, max = Passwords.MAX_LENGTH) String adminPassword,
            @NotBlank @Size(max = 200) String adminName) {
        @Override
        public String toString() {
            return "CreateOrganizationRequest[name=" + name + "]";
        }
    }

    record OrganizationView(UUID id, String name, String status, Instant createdAt) {
        static OrganizationView of(Organization o) {
            return new OrganizationView(o.id(), o.name(), o.status(), o.createdAt());
        }
    }

    record CreatedView(UUID organizationId, String organizationName, UUID adminUserId) {
    }

    private final OrganizationService service;

    OrganizationController(OrganizationService service) {
        this.service = service;
    }

    @PostMapping("/bootstrap")
    ResponseEntity<CreatedView> bootstrap(@Valid @RequestBody BootstrapRequest request) {
        OrganizationService.Created created = service.bootstrap(request.organizationName().trim(), request.adminEmail().trim(),
                request.adminPassword(), request.adminName().trim());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(created));
    }

    @GetMapping("/organization")
    OrganizationView mine(Caller caller) {
        return OrganizationView.of(service.mine(caller));
    }

    @GetMapping("/organizations")
    Page<OrganizationView> list(Caller caller, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(Page.MAX_SIZE) int size) {
        return service.list(caller, page, size).map(OrganizationView::of);
    }

    @PostMapping("/organizations")
    ResponseEntity<CreatedView> create(Caller caller, @Valid @RequestBody CreateOrganizationRequest request) {
        Access.requireSystemAdmin(caller);
        OrganizationService.Created created = service.create(request.name().trim(), request.adminEmail().trim(), request.adminPassword(),
                request.adminName().trim(), List.of(Caller.ADMINISTRATOR));
        return ResponseEntity.status(HttpStatus.CREATED).body(view(created));
    }

    @GetMapping("/organizations/{id}")
    OrganizationView get(Caller caller, @PathVariable UUID id) {
        return OrganizationView.of(service.get(caller, id));
    }

    private static CreatedView view(OrganizationService.Created created) {
        return new CreatedView(created.organization().id(), created.organization().name(), created.administrator().id());
    }
}
