import {
  EuiBadge,
  EuiButtonEmpty,
  EuiHeader,
  EuiHeaderLink,
  EuiHeaderLinks,
  EuiHeaderSection,
  EuiHeaderSectionItem,
  EuiText,
} from '@elastic/eui';
import type { UserView } from '@latchkey/core';
import { navigate } from '../router';

const ADMIN_LINKS = [
  { path: '/users', label: 'Users' },
  { path: '/end-users', label: 'End users' },
  { path: '/api-keys', label: 'API keys' },
  { path: '/webhooks', label: 'Webhooks' },
  { path: '/audit', label: 'Audit log' },
];

export function AppHeader(props: { user: UserView; path: string; onLogout: () => void }) {
  const links = [
    { path: '/', label: 'Connectors' },
    ...(props.user.role === 'admin' ? ADMIN_LINKS : []),
  ];
  return (
    <EuiHeader position="fixed">
      <EuiHeaderSection>
        <EuiHeaderSectionItem>
          <EuiButtonEmpty iconType="lock" color="text" onClick={() => navigate('/')}>
            <strong>Latchkey</strong>
          </EuiButtonEmpty>
        </EuiHeaderSectionItem>
        <EuiHeaderSectionItem>
          <EuiHeaderLinks aria-label="Main navigation">
            {links.map((link) => (
              <EuiHeaderLink
                key={link.path}
                isActive={props.path === link.path}
                onClick={() => navigate(link.path)}
              >
                {link.label}
              </EuiHeaderLink>
            ))}
          </EuiHeaderLinks>
        </EuiHeaderSectionItem>
      </EuiHeaderSection>
      <EuiHeaderSection side="right">
        <EuiHeaderSectionItem>
          <EuiText size="s" data-test-subj="current-user">
            {props.user.username} <EuiBadge>{props.user.role}</EuiBadge>
          </EuiText>
        </EuiHeaderSectionItem>
        <EuiHeaderSectionItem>
          <EuiButtonEmpty iconType="exit" onClick={props.onLogout}>
            Log out
          </EuiButtonEmpty>
        </EuiHeaderSectionItem>
      </EuiHeaderSection>
    </EuiHeader>
  );
}
