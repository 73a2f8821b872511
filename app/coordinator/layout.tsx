import type { ReactNode } from 'react';
import './coordinator.css';

export default function CoordinatorLayout({ children }: { children: ReactNode }) {
  return children;
}
