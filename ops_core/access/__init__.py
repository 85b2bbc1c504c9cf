"""Access control: roles, the signed-in user, local password sign-in (issue 8).

``require(user, action)`` raises ``PermissionDenied`` unless the user's role (and partner
scope) allows the action; ``ops_core.audit`` calls it for every audited write made on behalf
of a ``User``. The rule table is ``roles.ACTIONS``.
"""

from ops_core.access.passwords import hash_password, verify_password
from ops_core.access.roles import (
    ACTIONS,
    ENTITY_ACTIONS,
    Action,
    Role,
    User,
    actor_name,
    can,
    entity_action,
    require,
)
from ops_core.access.users import USERS_ENV, Account, Directory, load_users, users_path

DEMO_USER = User("demo operator", Role.OPERATOR, source="demo")

__all__ = [
    "ACTIONS",
    "DEMO_USER",
    "ENTITY_ACTIONS",
    "USERS_ENV",
    "Account",
    "Action",
    "Directory",
    "Role",
    "User",
    "actor_name",
    "can",
    "entity_action",
    "hash_password",
    "load_users",
    "require",
    "users_path",
    "verify_password",
]
