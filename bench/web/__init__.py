"""A Django project for bench_web: Tandem's own settings and URLs, plus the bare views the
answer path is compared with (the floor: the same durable write, nothing else)."""
