from django.core.management.base import BaseCommand

from reviewapp.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Create the protocol's demo review with its users and records (idempotent)."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        review = seed_demo()
        self.stdout.write(f"Demo review: {review.title} (/reviews/{review.slug}/)")
        for username, (_name, roles) in DEMO_USERS.items():
            self.stdout.write(
                f"  login {username:<5} password {DEMO_PASSWORD}  ({', '.join(roles)})"
            )
