/** The holders of antd's message and Modal hooks, loaded after the first screen (app/feedback.tsx). */
import { message as antMessage, Modal } from 'antd';
import { useEffect } from 'react';
import { setFeedback } from '../app/feedback.tsx';

export default function FeedbackHost() {
  const [messageApi, messageHolder] = antMessage.useMessage();
  const [modalApi, modalHolder] = Modal.useModal();
  useEffect(() => {
    setFeedback({ message: messageApi, modal: modalApi });
    return () => setFeedback(null);
  }, [messageApi, modalApi]);
  return (
    <>
      {messageHolder}
      {modalHolder}
    </>
  );
}
