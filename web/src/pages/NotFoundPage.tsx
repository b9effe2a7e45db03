import { FileSearchOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useDocumentTitle } from '../app/hooks.ts';

export default function NotFoundPage() {
  useDocumentTitle('页面不存在');
  const navigate = useNavigate();
  return (
    <Result
      icon={<FileSearchOutlined style={{ color: '#bfbfbf' }} />}
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除，请检查地址是否正确。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}
