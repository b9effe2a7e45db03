/** The document title; its own module (no antd) so that the login page in the entry chunk can use it. */
import { useEffect } from 'react';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} - 党建工作平台` : '党建工作平台';
  }, [title]);
}
