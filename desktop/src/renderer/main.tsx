import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { App } from './App';
import { RatingScreen } from './features/rating/RatingScreen';
import { isRatingPage } from './features/rating/ratingChannel';
import './styles.css';

dayjs.locale('zh-cn');

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ConfigProvider
        locale={zhCN}
        button={{ autoInsertSpace: false }}
        theme={{ token: { colorPrimary: '#c0392b', borderRadius: 4 } }}
      >
        <AntApp>
          {/* The citizen's rating window (second display) is the same page at #rating. */}
          {isRatingPage() ? <RatingScreen /> : <App />}
        </AntApp>
      </ConfigProvider>
    </StrictMode>,
  );
}
